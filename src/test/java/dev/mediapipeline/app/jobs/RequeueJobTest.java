package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The failure ledger and the requeue of one class of failures. */
class RequeueJobTest extends AppTestBase {

    @Test
    void everyRejectionIsInTheLedgerAndARequeueIngestsItsClassAgain(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes-" + UUID.randomUUID() + ".txt"), "not an image " + UUID.randomUUID());
        Path list = Files.writeString(dir.resolve("list-" + UUID.randomUUID() + ".csv"), "a,b\n1,2\n" + UUID.randomUUID());
        Path eicar = Files.write(dir.resolve("eicar.com"), TestSamples.EICAR);
        List<UUID> refused = List.of(TestUploads.stage(staging, notes).id(), TestUploads.stage(staging, list).id());
        UUID infected = TestUploads.stage(staging, eicar).id();

        JsonNode ingest = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"ledger-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingest.get("status").asString()).isEqualTo("COMPLETED");
        long ingestId = ingest.get("id").asLong();
        for (UUID id : refused) {
            assertThat(ledgerClass(id, ingestId)).isEqualTo("rejected:type-not-allowed");
        }
        assertThat(ledgerClass(infected, ingestId)).isEqualTo("rejected:infected");
        assertThat(http.get("/failures/classes").body().toString()).contains("rejected:type-not-allowed").contains("rejected:infected");
        assertThat(http.get("/failures?class=rejected:infected").body().toString()).contains(infected.toString());

        assertThat(http.post("/jobs/requeueFailures/executions", "{\"parameters\": {\"failureClass\": \"nonsense\"}}").status())
                .isEqualTo(400);
        // staged after the ingest: not a failure, so the requeue must leave it for the next ingest
        UUID later = TestUploads.stage(staging, Files.writeString(dir.resolve("later.txt"), "later " + UUID.randomUUID())).id();
        JsonNode requeue = http.awaitEnd(http.post("/jobs/requeueFailures/executions",
                "{\"parameters\": {\"failureClass\": \"rejected:type-not-allowed\", \"run\": \"" + UUID.randomUUID() + "\"}}")
                .body().get("id").asLong());
        assertThat(requeue.get("status").asString()).isEqualTo("COMPLETED");
        long requeueId = requeue.get("id").asLong();
        assertThat(requeue.get("report").get("requeued").asLong()).isGreaterThanOrEqualTo(refused.size());
        for (UUID id : refused) {
            assertThat(jdbc.sql("select requeue_execution_id from failure_ledger where item_id = ? and job_execution_id = ?")
                    .params(id, ingestId).query(Long.class).single()).as("marked requeued by the requeue").isEqualTo(requeueId);
            assertThat(jdbc.sql("select i.job_instance_id from ingest_item i where i.upload_id = ?").param(id).query(Long.class).single())
                    .as("ingested again, in the requeue's instance").isEqualTo(requeue.get("instanceId").asLong());
            // still not an image, so refused again: a new open entry of the same class, from the requeue
            assertThat(ledgerClass(id, requeueId)).isEqualTo("rejected:type-not-allowed");
        }
        assertThat(jdbc.sql("select requeued_at is null from failure_ledger where item_id = ?").param(infected).query(Boolean.class).single())
                .as("another class is left alone").isTrue();
        assertThat(jdbc.sql("select count(*) from ingest_item where upload_id = ?").param(later).query(Long.class).single())
                .as("an upload that never failed is not the requeue's").isZero();

        // a quarantined upload's bytes left staging: the requeue says so and leaves its entry open
        JsonNode infectedRequeue = http.awaitEnd(http.post("/jobs/requeueFailures/executions",
                "{\"parameters\": {\"failureClass\": \"rejected:infected\", \"run\": \"" + UUID.randomUUID() + "\"}}")
                .body().get("id").asLong());
        assertThat(infectedRequeue.get("report").get("notRequeueable").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select requeued_at is null from failure_ledger where item_id = ?").param(infected).query(Boolean.class).single())
                .isTrue();
    }

    @Test
    void aFailedItemIsInTheLedgerUntilTheRestartPublishesIt(@TempDir Path dir) throws Exception {
        // an image no other test made: its content address is new
        var pixels = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(UUID.randomUUID().getMostSignificantBits());
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                pixels.setRGB(x, y, random.nextInt());
            }
        }
        Path photo = dir.resolve("noise.png");
        javax.imageio.ImageIO.write(pixels, "png", photo.toFile());
        UUID upload = TestUploads.stage(staging, photo).id();

        store().failWritesTo(s3.buckets().published());
        JsonNode failed;
        try {
            failed = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                    "{\"parameters\": {\"run\": \"failing-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        } finally {
            store().resume();
        }
        assertThat(failed.get("status").asString()).as(() -> jdbc.sql("select failure_class || reason from failure_ledger where item_id = ?").param(upload).query(String.class).list().toString()).isEqualTo("FAILED");
        long failedId = failed.get("id").asLong();
        assertThat(ledgerClass(upload, failedId)).isEqualTo("failed:IllegalStateException");
        assertThat(http.get("/failures?class=failed:IllegalStateException").body().toString()).contains(upload.toString());

        JsonNode restarted = http.awaitEnd(http.post("/jobs/executions/" + failedId + "/restart", "{}").body().get("id").asLong());
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from asset_version where asset_id = ?").param(upload).query(Long.class).single())
                .as("published once by the restart").isEqualTo(1);
        assertThat(jdbc.sql("select resolved_at is not null from failure_ledger where item_id = ? and job_execution_id = ?")
                .params(upload, failedId).query(Boolean.class).single()).as("resolved once published").isTrue();
    }

    private PausableObjectStore store() {
        return (PausableObjectStore) store;
    }

    private String ledgerClass(UUID item, long jobExecutionId) {
        return jdbc.sql("select failure_class from failure_ledger where item_id = ? and job_execution_id = ?")
                .params(item, jobExecutionId).query(String.class).single();
    }

}
