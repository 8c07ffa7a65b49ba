package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Job control over REST against the running application: real PostgreSQL, S3Proxy and clamd. */
public class JobsApiTest extends AppTestBase {

    @Autowired
    JobRepository repository;

    @Test
    void twoConcurrentLaunchesOfTheSameInstanceGiveOne202AndOne409() throws Exception {
        String body = "{\"parameters\": {\"run\": \"race-" + UUID.randomUUID() + "\"}}";
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Reply>> launches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            launches.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return http.post("/jobs/mediaIngest/executions", body);
            }));
        }
        start.countDown();
        List<Reply> replies = launches.stream().map(CompletableFuture::join).toList();

        assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(202, 409);
        Reply accepted = replies.stream().filter(r -> r.status() == 202).findFirst().orElseThrow();
        Reply refused = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertThat(accepted.location()).isEqualTo("/jobs/executions/" + accepted.body().get("id").asLong());
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("status").asInt()).isEqualTo(409);
        assertThat(refused.body().get("detail").asString()).contains("mediaIngest");

        JsonNode done = http.awaitEnd(accepted.body().get("id").asLong());
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        long instance = done.get("instanceId").asLong();
        assertThat(jdbc.sql("select count(*) from batch_job_execution where job_instance_id = ?").param(instance)
                .query(Long.class).single()).as("executions of the raced instance").isEqualTo(1);

        // launching the completed instance again is refused too, and starts nothing
        Reply again = http.post("/jobs/mediaIngest/executions", body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("detail").asString()).contains("already complete");
    }

    @Test
    void statusReportsEveryPartitionWithExactCountsAndProgress() throws Exception {
        List<UUID> uploads = stage(smallestPhotos(5));

        Reply launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"status-" + UUID.randomUUID() + "\"}}");
        assertThat(launched.status()).isEqualTo(202);
        JsonNode report = http.awaitEnd(launched.body().get("id").asLong());

        assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
        long instance = report.get("instanceId").asLong();
        long frozen = jdbc.sql("select count(*) from ingest_item where job_instance_id = ?").param(instance).query(Long.class).single();
        assertThat(frozen).as("this run froze at least our uploads").isGreaterThanOrEqualTo(uploads.size());

        List<JsonNode> steps = StreamSupport.stream(report.get("steps").spliterator(), false).toList();
        assertThat(steps).extracting(s -> s.get("name").asString())
                .contains("freezeUploads", "ingestPartitions", "cleanStaging")
                .anyMatch(name -> name.startsWith("ingestPartition:partition"));
        List<JsonNode> partitions = steps.stream().filter(s -> !s.get("partition").isNull()).toList();
        assertThat(partitions).isNotEmpty().allSatisfy(p -> {
            assertThat(p.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(p.get("read").asLong()).isEqualTo(p.get("expectedItems").asLong());
            assertThat(p.get("read").asLong()).isEqualTo(p.get("written").asLong() + p.get("skipped").asLong()
                    + p.get("filtered").asLong());
            assertThat(p.get("percent").asDouble()).isEqualTo(100.0);
            assertThat(p.get("estimatedRemainingSeconds").asDouble()).isZero();
        });
        long written = partitions.stream().mapToLong(p -> p.get("written").asLong()).sum();
        long skipped = partitions.stream().mapToLong(p -> p.get("skipped").asLong()).sum();
        long published = jdbc.sql("select count(*) from ingest_item where job_instance_id = ? and state = 'PUBLISHED'")
                .param(instance).query(Long.class).single();
        assertThat(written).as("written = published items of the batch").isEqualTo(published);
        assertThat(written + skipped).isEqualTo(frozen);
        assertThat(partitions.stream().mapToLong(p -> p.get("committed").asLong()).sum()).isPositive();
        for (UUID upload : uploads) {
            assertThat(jdbc.sql("select state from ingest_item where upload_id = ?").param(upload).query(String.class).single())
                    .isEqualTo("PUBLISHED");
        }
        JsonNode progress = report.get("progress");
        assertThat(progress.get("expectedItems").asLong()).isEqualTo(frozen);
        assertThat(progress.get("doneItems").asLong()).isEqualTo(frozen);
        assertThat(progress.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(report.get("elapsedSeconds").asDouble()).isPositive();
    }

    @Test
    void stopIsGracefulAndRestartFinishesExactlyTheRest() throws Exception {
        // more items than one chunk per partition, so that a stop after the first chunks leaves some
        List<UUID> uploads = stage(smallestPhotos(12));
        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.pauseWritesTo(s3.buckets().published());
        long id;
        try {
            Reply launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"stop-" + UUID.randomUUID() + "\"}}");
            assertThat(launched.status()).isEqualTo(202);
            id = launched.body().get("id").asLong();
            pausable.awaitWriterHeld();

            Reply recover = http.post("/jobs/executions/" + id + "/recover", null);
            assertThat(recover.status()).as("recover refused while this process runs it").isEqualTo(409);
            Reply restart = http.post("/jobs/executions/" + id + "/restart", null);
            assertThat(restart.status()).as("restart refused while running").isEqualTo(409);

            Reply stop = http.post("/jobs/executions/" + id + "/stop", null);
            assertThat(stop.status()).isEqualTo(202);
            assertThat(stop.body().get("status").asString()).isEqualTo("STOPPING");
            assertThat(http.post("/jobs/executions/" + id + "/restart", null).status()).as("restart refused while stopping")
                    .isEqualTo(409);
        } finally {
            pausable.resume();
        }
        JsonNode stopped = http.awaitEnd(id);
        assertThat(stopped.get("status").asString()).isEqualTo("STOPPED");
        long instance = stopped.get("instanceId").asLong();
        long frozen = count("select count(*) from ingest_item where job_instance_id = ?", instance);
        long pendingAtStop = count("select count(*) from ingest_item where job_instance_id = ? and state = 'PENDING'", instance);
        assertThat(pendingAtStop).as("a graceful stop leaves the items after the current chunks").isPositive();
        assertThat(frozen - pendingAtStop).as("the chunks in flight finished").isPositive();

        Reply restarted = http.post("/jobs/executions/" + id + "/restart", null);
        assertThat(restarted.status()).isEqualTo(202);
        long second = restarted.body().get("id").asLong();
        assertThat(second).isNotEqualTo(id);
        JsonNode finished = http.awaitEnd(second);
        assertThat(finished.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(finished.get("instanceId").asLong()).isEqualTo(instance);

        long doneBySecond = StreamSupport.stream(finished.get("steps").spliterator(), false)
                .filter(s -> !s.get("partition").isNull())
                .mapToLong(s -> s.get("read").asLong()).sum();
        assertThat(doneBySecond).as("the restart read exactly what was pending").isEqualTo(pendingAtStop);
        assertThat(count("select count(*) from ingest_item where job_instance_id = ? and state = 'PENDING'", instance)).isZero();
        for (UUID upload : uploads) {
            assertThat(count("select count(*) from asset_version where asset_id = ?", upload)).as("one version, no duplicate").isEqualTo(1);
            assertThat(count("select count(*) from rendition where asset_id = ?", upload)).isPositive();
        }
    }

    @Test
    void recoverMarksTheExecutionOfADeadProcessFailedSoThatItRestarts() throws Exception {
        // what a SIGKILLed process leaves: an execution STARTED that nothing runs
        var parameters = new JobParametersBuilder().addString("run", "dead-" + UUID.randomUUID()).toJobParameters();
        JobInstance instance = repository.createJobInstance("mediaIngest", parameters);
        JobExecution dead = repository.createJobExecution(instance, parameters, new ExecutionContext());
        dead.setStatus(BatchStatus.STARTED);
        dead.setStartTime(LocalDateTime.now());
        repository.update(dead);

        assertThat(http.post("/jobs/executions/" + dead.getId() + "/restart", null).status()).isEqualTo(409);
        Reply recovered = http.post("/jobs/executions/" + dead.getId() + "/recover", null);
        assertThat(recovered.status()).isEqualTo(200);
        assertThat(recovered.body().get("status").asString()).isEqualTo("FAILED");

        Reply restarted = http.post("/jobs/executions/" + dead.getId() + "/restart", null);
        assertThat(restarted.status()).isEqualTo(202);
        JsonNode done = http.awaitEnd(restarted.body().get("id").asLong());
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("instanceId").asLong()).isEqualTo(instance.getInstanceId());

        Reply again = http.post("/jobs/executions/" + done.get("id").asLong() + "/recover", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(http.post("/jobs/executions/" + done.get("id").asLong() + "/stop", null).status()).isEqualTo(409);
    }

    @Test
    void executionsAreListedNewestFirstOnePageAtATime() throws Exception {
        for (int i = 0; i < 3; i++) {
            Reply launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"page-" + UUID.randomUUID() + "\"}}");
            http.awaitEnd(launched.body().get("id").asLong());
        }
        long total = count("""
                select count(*) from batch_job_execution e join batch_job_instance i using (job_instance_id)
                where i.job_name = 'mediaIngest'""");
        Reply first = http.get("/jobs/mediaIngest/executions?page=0&size=2");
        Reply second = http.get("/jobs/mediaIngest/executions?page=1&size=2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("total").asLong()).isEqualTo(total).isGreaterThanOrEqualTo(3);
        List<Long> ids = new ArrayList<>();
        first.body().get("executions").forEach(e -> ids.add(e.get("id").asLong()));
        second.body().get("executions").forEach(e -> ids.add(e.get("id").asLong()));
        assertThat(ids).hasSize(4).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(http.get("/jobs").body().toString()).contains("mediaIngest");
    }

    @Test
    void refusalsAreProblemDetails() {
        Reply unknownJob = http.post("/jobs/noSuchJob/executions", "{}");
        assertThat(unknownJob.status()).isEqualTo(404);
        assertThat(unknownJob.contentType()).startsWith("application/problem+json");
        assertThat(unknownJob.body().get("detail").asString()).contains("noSuchJob").contains("mediaIngest");

        Reply unknownExecution = http.get("/jobs/executions/987654321");
        assertThat(unknownExecution.status()).isEqualTo(404);
        assertThat(unknownExecution.contentType()).startsWith("application/problem+json");

        Reply badParameter = http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"businessDate\": \"yesterday,java.time.LocalDate\"}}");
        assertThat(badParameter.status()).isEqualTo(400);
        assertThat(badParameter.body().get("detail").asString()).contains("yesterday");

        Reply badJson = http.post("/jobs/mediaIngest/executions", "{\"parameters\": ");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.contentType()).startsWith("application/problem+json");

        assertThat(http.get("/jobs/mediaIngest/executions?size=0").status()).isEqualTo(400);
        assertThat(http.get("/jobs/executions/notanumber").status()).isEqualTo(400);
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        Reply docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("openapi").asString()).startsWith("3.");
        JsonNode paths = docs.body().get("paths");
        assertThat(paths.has("/jobs/{name}/executions")).isTrue();
        assertThat(paths.get("/jobs/{name}/executions").has("post")).isTrue();
        assertThat(paths.has("/jobs/executions/{id}")).isTrue();
        assertThat(paths.has("/jobs/executions/{id}/stop")).isTrue();
        assertThat(paths.has("/jobs/executions/{id}/restart")).isTrue();
        assertThat(paths.has("/jobs/executions/{id}/recover")).isTrue();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private List<UUID> stage(List<Path> files) {
        return files.stream().map(f -> TestUploads.stage(staging, f).id()).toList();
    }

    public static List<Path> smallestPhotos(int n) throws IOException {
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            return files.sorted(java.util.Comparator.comparingLong(JobsApiTest::size)).limit(n).toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
