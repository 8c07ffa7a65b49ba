package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.embedded.EmbeddedBroker;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code bench-workers FOLDER --workers N} (for {@code bench/workers.sh}): this process is the manager,
 * with its embedded PostgreSQL, S3 and Artemis; it starts N worker JVMs ({@code worker}) on them, waits
 * until each listens, stages the folder and times the ingest over the workers. Prints one line of
 * figures ({@code images=... seconds=... images_per_s=...}) and where the time went: the freeze and
 * clean-up steps, each partition's time and worker, the workers' CPU seconds, and the partitions'
 * spread. Run it under {@code taskset} to hold the whole stack (this JVM, its database, the workers;
 * clamd is started under the same mask by the script) to a number of cores.
 */
@Component
public class WorkersBench {

    private final IngestCommand ingest;
    private final IngestRun run;
    private final JdbcClient jdbc;
    private final org.springframework.beans.factory.ObjectProvider<EmbeddedPostgresServer> postgres;
    private final org.springframework.beans.factory.ObjectProvider<EmbeddedS3Server> s3;
    private final org.springframework.beans.factory.ObjectProvider<EmbeddedBroker> broker;
    private final String jar;
    private final int clamdPort;
    private final List<Path> warmUp;
    private final String workerJvmOptions;
    private final String workerArgs;
    private final Optional<Path> clamdPidFile;
    private final org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry;
    private final String workersAdminKey = "bench-" + java.util.UUID.randomUUID() + java.util.UUID.randomUUID();

    WorkersBench(IngestCommand ingest, IngestRun run, JdbcClient jdbc, org.springframework.beans.factory.ObjectProvider<EmbeddedPostgresServer> postgres,
            org.springframework.beans.factory.ObjectProvider<EmbeddedS3Server> s3, org.springframework.beans.factory.ObjectProvider<EmbeddedBroker> broker,
            @Value("${media.bench.jar:src/target/media-pipeline.jar}") String jar,
            @Value("${media.clamd.port}") int clamdPort, @Value("${media.bench.warm-up:}") String warmUp,
            @Value("${media.bench.clamd-pid-file:}") String clamdPidFile, @Value("${media.bench.worker-jvm-options:}") String workerJvmOptions,
            @Value("${media.bench.worker-args:}") String workerArgs,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
        this.ingest = ingest;
        this.run = run;
        this.jdbc = jdbc;
        this.postgres = postgres;
        this.s3 = s3;
        this.broker = broker;
        this.jar = jar;
        this.clamdPort = clamdPort;
        this.clamdPidFile = clamdPidFile.isBlank() ? Optional.empty() : Optional.of(Path.of(clamdPidFile));
        this.registry = registry;
        this.workerJvmOptions = workerJvmOptions;
        this.workerArgs = workerArgs;
        this.warmUp = java.util.Arrays.stream(warmUp.split(",")).map(String::strip).filter(f -> !f.isEmpty()).map(Path::of).toList();
    }

    public int run(Path folder, int workers, Path logs) throws Exception {
        if (postgres.getIfAvailable() == null || s3.getIfAvailable() == null || broker.getIfAvailable() == null) {
            System.out.println("bench-workers runs on the embedded PostgreSQL and S3 with media.workers.mode=remote (its embedded broker)");
            return 2;
        }
        Files.createDirectories(logs);
        List<Process> started = new ArrayList<>();
        try {
            for (int i = 1; i <= workers; i++) {
                started.add(worker("bench-" + i, logs.resolve("worker-" + i + ".log")));
            }
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            for (int i = 1; i <= workers; i++) {
                Path log = logs.resolve("worker-" + i + ".log");
                while (!Files.readString(log).contains("Started MediaPipelineApplication")) {
                    if (Instant.now().isAfter(deadline) || !started.get(i - 1).isAlive()) {
                        System.out.println("worker " + i + " did not start; its log: " + log);
                        return 1;
                    }
                    Thread.sleep(100);
                }
            }
            if (!warmUp.isEmpty() && !warmUp(workers)) {
                return 1;
            }
            int staged = ingest.stage(folder);
            if (staged != 0) {
                return staged;
            }
            List<String> metrics = new ArrayList<>();
            for (int i = 1; i <= workers; i++) {
                metrics.add(jdbc.sql("select metrics_url from media_worker where name = ?").param("bench-" + i).query(String.class).single());
            }
            StackCosts costs = new StackCosts(jdbc, postgres.getObject().pid(), clamdPid(), started, metrics, workersAdminKey,
                    registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
            StackCosts.Reading before = costs.read();
            long begun = System.nanoTime();
            JobExecution execution = run.runQuietly();
            double seconds = (System.nanoTime() - begun) / 1e9;
            StackCosts.Reading after = costs.read();
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                System.out.println("the job did not complete: " + execution.getStatus() + " " + execution.getAllFailureExceptions());
                return 1;
            }
            long images = jdbc.sql("select count(*) from asset_version where job_execution_id = ?").param(execution.getId()).query(Long.class)
                    .single();
            StepExecution partitioned = execution.getStepExecutions().stream().filter(s -> s.getStepName().equals("ingestPartitions"))
                    .findFirst().orElseThrow();
            double partitionSeconds = Duration.between(partitioned.getStartTime(), partitioned.getEndTime()).toMillis() / 1000.0;
            System.out.printf(java.util.Locale.ROOT, "images=%d seconds=%.2f images_per_s=%.2f partitions_seconds=%.2f partitions_images_per_s=%.2f "
                    + "workers=%d%n", images, seconds, images / seconds, partitionSeconds, images / partitionSeconds, workers);
            breakdown(execution, seconds, before, after);
            StackCosts.print(before, after, images, "item", seconds, Runtime.getRuntime().availableProcessors());
            double minutes = jdbc.sql("""
                    select coalesce(sum(s.duration_ms), 0) / 60000.0 from video_stream s join asset_version v on v.asset_id = s.asset_id
                    and v.version = s.version where v.job_execution_id = ?""").param(execution.getId()).query(Double.class).single();
            if (minutes > 0) {
                StackCosts.print(before, after, minutes, "minute of video", seconds, Runtime.getRuntime().availableProcessors());
            }
            return 0;
        } finally {
            for (Process p : started) {
                p.destroy();
            }
            for (Process p : started) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /**
     * Workers are long-lived: a night's ingest runs on JVMs that compiled their hot paths long before,
     * and on a clamd whose limits check ({@code checkScanner}) has passed within its interval. So an
     * ingest of other files (the corpus's PNGs and GIFs: never the timed files, whose content-addressed
     * renditions would then exist already) runs first, untimed, on the same workers.
     */
    private boolean warmUp(int workers) throws Exception {
        long begun = System.nanoTime();
        int files = 0;
        for (Path folder : warmUp) {
            try (var listing = Files.list(folder)) {
                files += (int) listing.filter(Files::isRegularFile).count();
            }
            if (ingest.stage(folder) == 2) {
                return false;
            }
        }
        JobExecution execution = run.runQuietly();
        System.out.printf(java.util.Locale.ROOT, "warm-up (not timed): %d other files (%s) over the %d worker(s) in %.2f s, %s, "
                + "the scanner's limits check included%n", files, String.join(", ", warmUp.stream().map(p -> p.getFileName().toString()).toList()),
                workers, (System.nanoTime() - begun) / 1e9, execution.getStatus());
        return execution.getStatus() == BatchStatus.COMPLETED;
    }

    private void breakdown(JobExecution execution, double seconds, StackCosts.Reading before, StackCosts.Reading after) {
        Map<Long, String> workerOf = new java.util.HashMap<>();
        jdbc.sql("select step_execution_id, worker from partition_lease l join batch_step_execution s using (step_execution_id) "
                + "where s.job_execution_id = ?").param(execution.getId())
                .query((rs, n) -> workerOf.put(rs.getLong(1), rs.getString(2))).list();
        double partitionsBusy = 0;
        java.time.LocalDateTime firstStart = null;
        java.time.LocalDateTime lastEnd = null;
        java.time.LocalDateTime firstEnd = null;
        StringBuilder steps = new StringBuilder();
        for (StepExecution s : execution.getStepExecutions().stream().sorted(java.util.Comparator.comparing(StepExecution::getId)).toList()) {
            double took = Duration.between(s.getStartTime(), s.getEndTime()).toMillis() / 1000.0;
            if (s.getStepName().startsWith("ingestPartition:")) {
                partitionsBusy += took;
                firstStart = firstStart == null || s.getStartTime().isBefore(firstStart) ? s.getStartTime() : firstStart;
                lastEnd = lastEnd == null || s.getEndTime().isAfter(lastEnd) ? s.getEndTime() : lastEnd;
                firstEnd = firstEnd == null || s.getEndTime().isBefore(firstEnd) ? s.getEndTime() : firstEnd;
                steps.append(String.format(java.util.Locale.ROOT, "    %-26s %6.2f s  %3d items  on %s%n", s.getStepName(), took,
                        s.getWriteCount(), workerOf.getOrDefault(s.getId(), "?")));
            } else if (!s.getStepName().equals("ingestPartitions")) {
                steps.append(String.format(java.util.Locale.ROOT, "  %-28s %6.2f s%n", s.getStepName(), took));
            }
        }
        System.out.print(steps);
        if (firstStart != null) {
            System.out.printf(java.util.Locale.ROOT, "  partitions: %.2f s of work in %.2f s from the first start to the last end; "
                    + "the first ended %.2f s before the last%n", partitionsBusy, Duration.between(firstStart, lastEnd).toMillis() / 1000.0,
                    Duration.between(firstEnd, lastEnd).toMillis() / 1000.0);
        }
        for (int i = 0; i < after.workerCpu().length; i++) {
            System.out.printf(java.util.Locale.ROOT, "  worker %d: %.2f CPU s during the job%n", i + 1, after.workerCpu()[i] - before.workerCpu()[i]);
        }
        System.out.printf(java.util.Locale.ROOT, "  manager process (S3Proxy, broker, job steps): %.2f CPU s during the job, of %.2f s wall%n",
                after.managerCpu() - before.managerCpu(), seconds);
    }

    private Optional<Long> clamdPid() {
        try {
            return clamdPidFile.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(Files.readString(clamdPidFile.get()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Process worker(String name, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED"));
        // the workers run with this JVM's options (MEDIA_JAVA_OPTS: the collector, the heap), so both runs compare like with like
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> o.startsWith("-XX:") || o.startsWith("-Xm") || o.startsWith("-Xs")).toList());
        // and their own (media.bench.worker-jvm-options): -XX:ActiveProcessorCount=1 sizes each worker for its one core
        command.addAll(java.util.Arrays.stream(workerJvmOptions.split(" ")).filter(o -> !o.isBlank()).toList());
        command.addAll(List.of("-jar", jar, "worker",
                "--media.home=" + Files.createTempDirectory("media-bench-worker-"),
                "--spring.datasource.url=" + postgres.getObject().jdbcUrl(), "--spring.datasource.username=" + postgres.getObject().username(),
                "--media.s3.endpoint=" + s3.getObject().endpoint(), "--media.s3.path-style=true",
                "--media.s3.access-key=" + EmbeddedS3Server.ACCESS_KEY, "--media.s3.secret-key=" + EmbeddedS3Server.SECRET_KEY,
                "--media.broker.url=" + broker.getObject().url(), "--media.clamd.port=" + clamdPort, "--media.workers.name=" + name,
                "--media.workers.metrics-port=0"));
        // the processing settings a worker must share with the manager (media.bench.worker-args: --media.video.ladder=..., say)
        command.addAll(java.util.Arrays.stream(workerArgs.split(" ")).filter(a -> !a.isBlank()).toList());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the key that reads the workers' metrics, in their environment: not on a command line other users can read
        builder.environment().put("MEDIA_ADMIN_KEY", workersAdminKey);
        return builder.start();
    }
}
