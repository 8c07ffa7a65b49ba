package dev.mediapipeline.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.testing.TestUploads;
import dev.mediapipeline.jobs.control.JobControl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Remote partitioning for real: a manager (another instance of the application, {@code media.workers.mode=remote},
 * with its embedded ActiveMQ Artemis) and two worker JVMs ({@code media worker}) on the shared PostgreSQL,
 * S3Proxy and clamd. An ingest's partitions run on both workers; then a worker is killed (SIGKILL) in the
 * middle of a partition, and the broker gives the partition's request, never acknowledged, to the other
 * worker, which finishes it: the job completes with every upload published once and every stored
 * file's reference count exact. A migration's partitions run on the workers as well. With no worker left, a stopped job's untaken partitions end STOPPED, an
 * ingest fails after {@code media.workers.start-timeout}, and its restart completes once a worker is back.
 */
class RemotePartitioningTest extends AppTestBase {

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void twoWorkerJvmsRunTheIngestAndAKilledWorkersPartitionIsFinishedByTheOther(@TempDir Path dir) throws Exception {
        // this context runs on the embedded defaults: it names them for workers on this machine
        java.util.Properties served = new java.util.Properties();
        try (var in = Files.newBufferedReader(MEDIA_HOME.resolve("services.properties"))) {
            served.load(in);
        }
        assertThat(served.getProperty("spring.datasource.url")).isEqualTo(postgres.jdbcUrl());
        assertThat(served.getProperty("media.s3.endpoint")).isEqualTo(s3Server.endpoint().toString());
        int brokerPort = freePort();
        List<String> tuning = List.of("--media.workers.heartbeat-interval=1s", "--media.workers.lease-timeout=10s", "--media.ingest.chunk-size=1");
        List<String> managerArgs = new ArrayList<>(List.of("--media.workers.mode=remote", "--media.broker.port=" + brokerPort,
                "--media.broker.persistent=false", "--spring.quartz.auto-startup=false", "--media.ingest.grid-size=2",
                "--media.workers.start-timeout=6s"));
        managerArgs.addAll(tuning);
        List<Process> workers = new ArrayList<>();
        try (ConfigurableApplicationContext manager = instanceOn(dir.resolve("manager"), postgres.jdbcUrl(), postgres.username(),
                s3Server.endpoint(), managerArgs.toArray(String[]::new))) {
            Path w1Out = dir.resolve("w1.out");
            Path w2Out = dir.resolve("w2.out");
            Process w1 = worker(dir, "w1-" + UUID.randomUUID(), brokerPort, tuning, w1Out);
            workers.add(w1);
            // worker 2 is given no broker: it shares the manager's media home, whose services.properties names its embedded broker
            assertThat(Files.readString(dir.resolve("manager").resolve("services.properties")))
                    .contains("media.broker.url=tcp\\://127.0.0.1\\:" + brokerPort).doesNotContain("spring.datasource");
            workers.add(worker(dir, "w2-" + UUID.randomUUID(), null, tuning, w2Out));
            var broker = manager.getBean(dev.mediapipeline.core.embedded.EmbeddedBroker.class);
            await(Duration.ofMinutes(3), () -> broker.consumers("media.partitions") == 2, "both workers listening on the queue");
            JobControl jobs = manager.getBean(JobControl.class);

            // an ingest over both workers
            UUID tenant = newTenant("remote");
            List<Path> photos = JobsApiTest.smallestPhotos(20).subList(0, 8);
            for (Path photo : photos) {
                TestUploads.stage(staging, photo, tenant);
            }
            JobExecution first = run(jobs, tenant);
            assertThat(first.getStatus()).as(first.getExitStatus().toString()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(published(tenant)).isEqualTo(photos.size());
            List<String> ranBy = jdbc.sql("""
                    select distinct l.worker from partition_lease l join batch_step_execution s on s.step_execution_id = l.step_execution_id
                    where s.job_execution_id = ? and s.step_name like 'ingestPartition%'""").param(first.getId()).query(String.class).list();
            assertThat(ranBy).as("partitions ran on both workers, none in the manager").hasSize(2);
            // the execution's report names each partition's worker
            var report = dev.mediapipeline.jobs.control.ExecutionReport.of(jobs.execution(first.getId()), java.time.LocalDateTime.now());
            assertThat(report.steps().stream().filter(s -> s.partition() != null).map(s -> s.worker()).distinct().sorted().toList())
                    .isEqualTo(ranBy.stream().sorted().toList());

            // each worker's metrics, on its own endpoint (an admin key), tagged with its name: the items it published
            var listing = new java.io.ByteArrayOutputStream();
            manager.getBean(WorkersCommand.class).run(new java.io.PrintStream(listing, true, java.nio.charset.StandardCharsets.UTF_8));
            String readKey = newKey(tenant, "read");
            for (String name : ranBy) {
                String url = jdbc.sql("select metrics_url from media_worker where name = ?").param(name).query(String.class).single();
                assertThat(listing.toString(java.nio.charset.StandardCharsets.UTF_8)).as("./media workers").contains(name).contains("metrics " + url);
                assertThat(scrape(url, null).statusCode()).as("no key").isEqualTo(401);
                assertThat(scrape(url, "not-a-key-" + UUID.randomUUID()).statusCode()).as("a key nobody has").isEqualTo(401);
                assertThat(scrape(url, readKey).statusCode()).as("a tenant's read key").isEqualTo(403);
                var scraped = scrape(url, adminKey());
                assertThat(scraped.statusCode()).isEqualTo(200);
                Path file = Files.writeString(dir.resolve(name + ".prom"), scraped.body());
                assertThat(dev.mediapipeline.core.testing.TestServices.run(List.of("sh", "-c", "promtool check metrics < " + file), 60))
                        .as("promtool's findings").doesNotContainIgnoringCase("error");
                long itsItems = jdbc.sql("""
                        select coalesce(sum(s.write_count), 0) from partition_lease l join batch_step_execution s on s.step_execution_id = l.step_execution_id
                        where s.job_execution_id = ? and l.worker = ?""").params(first.getId(), name).query(Long.class).single();
                assertThat(itsItems).isPositive();
                assertThat(scraped.body()).contains("media_items_total{job=\"mediaIngest\",outcome=\"published\",reason=\"\",worker=\"" + name
                        + "\"} " + itsItems + ".0");
                assertThat(scraped.body()).containsPattern("media_s3_requests_total\\{operation=\"PutObject\",worker=\"" + java.util.regex.Pattern.quote(name)
                        + "\"} [1-9]");
            }

            // a migration of those assets to other widths: its partitions run on the workers too
            JobExecution migration = jobs.awaitEnd(jobs.launch("assetMigration", jobs.parameters("assetMigration",
                    Map.of("tenant", tenant.toString(), "widths", "96"))).getId(), Duration.ofMillis(500));
            assertThat(migration.getStatus()).as(migration.getExitStatus().toString()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.sql("select count(*) from asset where tenant_id = ? and current_version = 2").param(tenant).query(Long.class).single())
                    .isEqualTo(photos.size());
            assertThat(jdbc.sql("""
                    select distinct r.width from rendition r join asset a on a.id = r.asset_id and r.version = a.current_version
                    where a.tenant_id = ?""").param(tenant).query(Integer.class).list())
                    .as("the new versions' renditions: 96 wide, or less where the longer side is the height").contains(96)
                    .allSatisfy(width -> assertThat(width).isLessThanOrEqualTo(96));
            assertThat(jdbc.sql("""
                    select distinct l.worker from partition_lease l join batch_step_execution s on s.step_execution_id = l.step_execution_id
                    where s.job_execution_id = ? and s.step_name like 'migratePartition%'""").param(migration.getId()).query(String.class).list())
                    .as("the migration's partitions, run by the workers").isNotEmpty().isSubsetOf(ranBy);
            assertThat(jdbc.sql("""
                    select count(*) from batch_step_execution s where s.job_execution_id = ? and s.step_name like 'migratePartition:%'
                    and not exists (select 1 from partition_lease l where l.step_execution_id = s.step_execution_id)""")
                    .param(migration.getId()).query(Long.class).single()).as("none run by the manager").isZero();

            // a worker killed in the middle of a partition
            UUID second = newTenant("remote-kill");
            List<Path> more = JobsApiTest.smallestPhotos(32).subList(20, 32);
            for (Path photo : more) {
                TestUploads.stage(staging, photo, second);
            }
            String w1Name = jdbc.sql("select name from media_worker where name like 'w1-%' order by started_at desc limit 1").query(String.class).single();
            long execution = jobs.launch("mediaIngest", jobs.parameters("mediaIngest",
                    Map.of("tenant", second.toString(), "run", "kill-" + UUID.randomUUID()))).getId();
            // 12 photos in 2 partitions, one item a chunk: killed after its first commits, with at least three items to go
            long[] halfWay = new long[1];
            await(Duration.ofMinutes(2), () -> {
                var found = jdbc.sql("""
                        select l.step_execution_id from partition_lease l join batch_step_execution s on s.step_execution_id = l.step_execution_id
                        where s.job_execution_id = ? and l.worker = ? and l.ended_at is null and s.status = 'STARTED'
                          and s.commit_count between 1 and 3""").params(execution, w1Name).query(Long.class).optional();
                found.ifPresent(id -> halfWay[0] = id);
                return found.isPresent();
            }, "worker 1 half way through a partition");
            w1.destroyForcibly();
            long killed = halfWay[0];
            assertThat(w1.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            JobExecution ended = jobs.awaitEnd(execution, Duration.ofMillis(500));
            assertThat(ended.getStatus()).as(ended.getExitStatus().toString()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(published(second)).as("every upload published, once").isEqualTo(more.size());
            assertThat(jdbc.sql("select worker from partition_lease where step_execution_id = ?").param(killed).query(String.class).single())
                    .as("the killed worker's partition, finished by the other").isNotEqualTo(w1Name);
            assertThat(jdbc.sql("select attempts from partition_lease where step_execution_id = ?").param(killed).query(Integer.class).single())
                    .isEqualTo(2);
            // every file these assets use counts each of its references exactly once
            assertThat(jdbc.sql("""
                    select count(*) from file_ref f
                    where f.sha256 in (select v.original_sha256 from asset_version v join asset a on a.id = v.asset_id where a.tenant_id = ?
                                       union select r.sha256 from rendition r join asset a on a.id = r.asset_id where a.tenant_id = ?)
                      and f.ref_count <> (select count(*) from asset_version v where v.original_sha256 = f.sha256)
                                       + (select count(*) from rendition r where r.sha256 = f.sha256)""")
                    .params(second, second).query(Long.class).single()).isZero();
            assertThat(jdbc.sql("""
                    select count(*) from ingest_item where state = 'PENDING'
                    and job_instance_id = (select job_instance_id from batch_job_execution where job_execution_id = ?)""")
                    .param(execution).query(Long.class).single()).isZero();

            // no live worker: a stopped job's untaken partitions end STOPPED; an ingest nobody takes fails after
            // media.workers.start-timeout, and its restart, once a worker is back, runs them
            Process w2 = workers.get(1);
            w2.destroy(); // a worker stopped as an operator stops it: it leaves media_worker
            assertThat(w2.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await(Duration.ofSeconds(30), () -> broker.consumers("media.partitions") == 0, "no worker on the queue");
            UUID third = newTenant("remote-none");
            List<Path> last = JobsApiTest.smallestPhotos(34).subList(32, 34);
            for (Path photo : last) {
                TestUploads.stage(staging, photo, third);
            }
            long stopped = jobs.launch("mediaIngest", jobs.parameters("mediaIngest", Map.of("tenant", third.toString(), "run", "stop-" + UUID.randomUUID())))
                    .getId();
            await(Duration.ofMinutes(1), () -> jdbc.sql("select count(*) from batch_step_execution where job_execution_id = ? and step_name like 'ingestPartition:%'")
                    .param(stopped).query(Long.class).single() == 2, "the partitions sent");
            jobs.stop(stopped);
            JobExecution stoppedEnd = jobs.awaitEnd(stopped, Duration.ofMillis(200));
            assertThat(stoppedEnd.getStatus()).isEqualTo(BatchStatus.STOPPED);
            assertThat(jdbc.sql("select status from batch_step_execution where job_execution_id = ? and step_name like 'ingestPartition:%'")
                    .param(stopped).query(String.class).list()).containsOnly("STOPPED");
            assertThat(published(third)).isZero();

            long unattended = jobs.restart(stopped).getId();
            JobExecution timedOut = jobs.awaitEnd(unattended, Duration.ofMillis(200));
            assertThat(timedOut.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(jdbc.sql("select exit_message from batch_step_execution where job_execution_id = ? and step_name like 'ingestPartition:%'")
                    .param(unattended).query(String.class).list()).hasSize(2).allSatisfy(m -> assertThat(m).contains("no live worker"));
            assertThat(published(third)).isZero();
            Path w3Out = dir.resolve("w3.out");
            workers.add(worker(dir, "w3-" + UUID.randomUUID(), brokerPort, tuning, w3Out));
            await(Duration.ofMinutes(3), () -> broker.consumers("media.partitions") == 1, "worker 3 listening");
            JobExecution rerun = jobs.awaitEnd(jobs.restart(unattended).getId(), Duration.ofMillis(200));
            assertThat(rerun.getStatus()).as(rerun.getExitStatus().toString()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(published(third)).isEqualTo(last.size());
        } finally {
            for (Process worker : workers) {
                worker.destroy();
                if (!worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            }
        }
    }

    private JobExecution run(JobControl jobs, UUID tenant) throws InterruptedException {
        long id = jobs.launch("mediaIngest", jobs.parameters("mediaIngest", Map.of("tenant", tenant.toString(), "run", "remote-" + UUID.randomUUID())))
                .getId();
        return jobs.awaitEnd(id, Duration.ofMillis(500));
    }

    private long published(UUID tenant) {
        return jdbc.sql("select count(*) from asset_version v join asset a on a.id = v.asset_id where a.tenant_id = ?").param(tenant)
                .query(Long.class).single();
    }

    /**
     * {@code media worker} in a JVM of its own on this context's PostgreSQL, S3 and clamd, and the manager's broker: by URL,
     * or with {@code brokerPort} null, from the manager's media home (its {@code services.properties}).
     */
    private Process worker(Path dir, String name, Integer brokerPort, List<String> tuning, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                dev.mediapipeline.MediaPipelineApplication.class.getName(), "worker"));
        Path home = brokerPort == null ? dir.resolve("manager") : Files.createDirectories(dir.resolve(name));
        command.addAll(serviceArgs(home, postgres.jdbcUrl(), postgres.username(), s3Server.endpoint()));
        if (brokerPort != null) {
            command.add("--media.broker.url=tcp://127.0.0.1:" + brokerPort);
        }
        command.add("--media.workers.name=" + name);
        command.add("--media.workers.metrics-port=0");
        command.addAll(tuning);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static java.net.http.HttpResponse<String> scrape(String url, String key) throws IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }
}
