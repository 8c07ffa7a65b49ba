package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The failure ledger and the requeue of one class of failures. */
class RequeueJobTest extends AppTestBase {

    @Autowired
    StagingService staging;
    @Autowired
    JdbcClient jdbc;

    JsonHttp http;

    @BeforeEach
    void client() {
        http = new JsonHttp(port);
    }

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

        // a quarantined upload's bytes left staging: the requeue says so and leaves its entry open
        JsonNode infectedRequeue = http.awaitEnd(http.post("/jobs/requeueFailures/executions",
                "{\"parameters\": {\"failureClass\": \"rejected:infected\", \"run\": \"" + UUID.randomUUID() + "\"}}")
                .body().get("id").asLong());
        assertThat(infectedRequeue.get("report").get("notRequeueable").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select requeued_at is null from failure_ledger where item_id = ?").param(infected).query(Boolean.class).single())
                .isTrue();
    }

    private String ledgerClass(UUID item, long jobExecutionId) {
        return jdbc.sql("select failure_class from failure_ledger where item_id = ? and job_execution_id = ?")
                .params(item, jobExecutionId).query(String.class).single();
    }

}
