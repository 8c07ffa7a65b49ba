package dev.mediapipeline.app.cli;

import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobDeclaration;
import java.util.UUID;
import dev.mediapipeline.jobs.ingest.IngestJobConfiguration;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Runs the ingest job in the foreground with a progress bar, then prints what it did. */
@Component
class IngestRun {

    private final JobControl jobs;
    private final JdbcClient jdbc;

    IngestRun(JobControl jobs, JdbcClient jdbc) {
        this.jobs = jobs;
        this.jdbc = jdbc;
    }

    /** Runs the job with nothing printed: for the benchmark, which times it. */
    JobExecution runQuietly() throws Exception {
        return runToEnd(Instant.now(), null);
    }

    /**
     * Launches a new instance (jobs run in the background in this application) and waits for its end.
     *
     * @param tenantId only this tenant's uploads, or null for every one staged
     */
    private JobExecution runToEnd(Instant started, UUID tenantId) throws InterruptedException {
        return jobs.awaitEnd(launch(started, tenantId).getId(), Duration.ofMillis(200));
    }

    /** Launches a new instance over the tenant's staged uploads (every one's when null) and returns at once. */
    JobExecution launch(Instant started, UUID tenantId) {
        JobParametersBuilder parameters = new JobParametersBuilder().addString(JobDeclaration.RUN, started.toString());
        if (tenantId != null) {
            parameters.addString(JobDeclaration.TENANT, tenantId.toString());
        }
        return jobs.launch(IngestJobConfiguration.JOB, parameters.toJobParameters());
    }

    /** Runs the job over the tenant's staged uploads with a progress bar, and prints what it did. */
    int run(PrintStream out, UUID tenantId) {
        Instant started = Instant.now();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        JobExecution execution;
        try {
            progress.scheduleAtFixedRate(() -> bar(out), 500, 500, TimeUnit.MILLISECONDS);
            execution = runToEnd(started, tenantId);
        } catch (Exception e) {
            out.println();
            out.println("the ingest job could not start: " + e.getMessage());
            return 1;
        } finally {
            progress.shutdownNow();
        }
        bar(out);
        out.println();
        summary(out, execution, Duration.between(started, Instant.now()));
        return execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
    }

    /** Progress of the newest frozen batch: items done of items frozen. */
    private void bar(PrintStream out) {
        Map<String, Object> row = jdbc.sql("""
                select count(*) as total, count(*) filter (where state <> 'PENDING') as done from ingest_item
                where job_instance_id = (select max(job_instance_id) from ingest_item)""").query().singleRow();
        long total = ((Number) row.get("total")).longValue();
        long done = ((Number) row.get("done")).longValue();
        int width = 40;
        int filled = total == 0 ? 0 : (int) (width * done / total);
        out.printf("\r  ingest [%s%s] %d/%d", "#".repeat(filled), " ".repeat(width - filled), done, total);
        out.flush();
    }

    private void summary(PrintStream out, JobExecution execution, Duration elapsed) {
        long id = execution.getId();
        long published = jdbc.sql("select count(*) from asset_version where job_execution_id = ?").param(id).query(Long.class).single();
        List<Map<String, Object>> rejected = jdbc.sql("""
                select reason, count(*) as n from ingest_rejection where job_execution_id = ? group by reason order by n desc, reason""")
                .param(id).query().listOfRows();
        long quarantined = jdbc.sql("select count(*) from ingest_rejection where job_execution_id = ? and quarantine_key is not null")
                .param(id).query(Long.class).single();
        long bytesIn = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset_version v join file_ref f on f.sha256 = v.original_sha256
                where v.job_execution_id = ?""").param(id).query(Long.class).single();
        long bytesOut = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset_version v join rendition r on r.asset_id = v.asset_id and r.version = v.version
                join file_ref f on f.sha256 = r.sha256 where v.job_execution_id = ?""").param(id).query(Long.class).single();
        out.printf("job %s execution %d: %s in %.1f s%n", IngestJobConfiguration.JOB, id, execution.getStatus(), elapsed.toMillis() / 1000.0);
        out.printf("  published   %d%n", published);
        long rejectedTotal = rejected.stream().mapToLong(r -> ((Number) r.get("n")).longValue()).sum();
        out.printf("  rejected    %d%n", rejectedTotal);
        for (Map<String, Object> r : rejected) {
            out.printf("    %-22s %d%n", r.get("reason"), ((Number) r.get("n")).longValue());
        }
        out.printf("  quarantined %d%n", quarantined);
        out.printf("  bytes in    %.1f MB (published originals), bytes out %.1f MB (renditions)%n", bytesIn / 1e6, bytesOut / 1e6);
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            // the job ran on another thread: its exceptions are in the stored exit description
            String description = execution.getExitStatus().getExitDescription();
            out.println("  failure: " + (description.length() > 2000 ? description.substring(0, 2000) + " ..." : description));
        }
    }
}
