package dev.mediapipeline.app.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code bench-ingest FOLDER}: stages the folder (not timed), then times the whole ingest job over
 * it (scan, S3 and PostgreSQL included) and prints one line of figures for bench/images.sh:
 * {@code images= megapixels= renditions= seconds= images_per_s= mp_per_s= peak_heap_mb=}.
 */
@Component
public class BenchCommand {

    private final IngestCommand ingest;
    private final IngestRun run;
    private final JdbcClient jdbc;

    BenchCommand(IngestCommand ingest, IngestRun run, JdbcClient jdbc) {
        this.ingest = ingest;
        this.run = run;
        this.jdbc = jdbc;
    }

    public int run(Path folder) throws Exception {
        int staged = ingest.stage(folder);
        if (staged != 0) {
            return staged;
        }
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long started = System.nanoTime();
        JobExecution execution = run.runQuietly();
        double seconds = (System.nanoTime() - started) / 1e9;
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            System.out.println("the job did not complete: " + execution.getStatus() + " " + execution.getAllFailureExceptions());
            return 1;
        }
        var row = jdbc.sql("""
                select count(*) as images, coalesce(sum(width::bigint * height), 0) as pixels,
                       (select count(*) from rendition r join asset_version w on w.asset_id = r.asset_id and w.version = r.version
                        where w.job_execution_id = ?) as renditions
                from asset_version where job_execution_id = ?""").params(execution.getId(), execution.getId()).query().singleRow();
        long images = ((Number) row.get("images")).longValue();
        double megapixels = ((Number) row.get("pixels")).longValue() / 1e6;
        String partitions = execution.getStepExecutions().stream().filter(s -> s.getStepName().startsWith("ingestPartition:"))
                .sorted(java.util.Comparator.comparing(s -> s.getStepName()))
                .map(s -> String.format("%.1f", Duration.between(s.getStartTime(), s.getEndTime()).toMillis() / 1000.0))
                .collect(java.util.stream.Collectors.joining(","));
        jdbc.sql("select reason, message from ingest_rejection where job_execution_id = ?").param(execution.getId()).query()
                .listOfRows().forEach(r -> System.out.println("rejected: " + r.get("reason") + ": " + r.get("message")));
        System.out.printf("images=%d megapixels=%.1f renditions=%d seconds=%.2f images_per_s=%.2f mp_per_s=%.1f peak_heap_mb=%d"
                + " partition_seconds=%s%n", images, megapixels, ((Number) row.get("renditions")).longValue(), seconds, images / seconds,
                megapixels / seconds, peakHeap / (1024 * 1024), partitions);
        return 0;
    }
}
