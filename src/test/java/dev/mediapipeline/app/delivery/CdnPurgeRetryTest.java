package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.FakeCloudflare;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestUploads;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A purge the CDN does not acknowledge is not lost: the change it belongs to stands, the purge stays
 * recorded with its error and a back-off, and the {@code cdnPurge} job sends it again once due,
 * until the CDN (here Cloudflare's API, a loopback server that checks each request) acknowledges it.
 */
class CdnPurgeRetryTest extends AppTestBase {

    @Test
    void aPurgeTheCdnRefusedIsRetriedByTheJobUntilAcknowledged() throws Exception {
        UUID tenant = newTenant("purge-retry");
        JsonHttp write = http.as(newKey(tenant, "read", "write"));
        UUID asset = TestUploads.stage(staging, JobsApiTest.smallestPhotos(3).getLast(), tenant).id();
        assertThat(http.awaitEnd(http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"purge-retry-" + UUID.randomUUID()
                + "\"}}").body().get("id").asLong()).get("status").asString()).isEqualTo("COMPLETED");
        String expected = "{\"prefixes\":[\"media.example.com/media/" + asset + "/\",\"media.example.com/streams/" + asset + "/\"]}";

        FakeCloudflare.failing(true);
        try {
            assertThat(write.delete("/assets/" + asset).status()).as("the change stands whatever the CDN says").isEqualTo(204);
            // sent in the background once the delete committed: refused
            java.time.Instant deadline = Instant.now().plusSeconds(30);
            while (((Number) purge(asset).get("attempts")).intValue() == 0 || purge(asset).get("last_error") == null) {
                assertThat(Instant.now()).as("the first attempt").isBefore(deadline);
                Thread.sleep(20);
            }
        } finally {
            FakeCloudflare.failing(false);
        }
        assertThat(write.get("/assets/" + asset).status()).isEqualTo(404);
        Map<String, Object> purge = purge(asset);
        assertThat(purge.get("acknowledged_at")).isNull();
        assertThat(((Number) purge.get("attempts")).intValue()).isEqualTo(1);
        assertThat((String) purge.get("last_error")).contains("503");
        assertThat(((java.sql.Timestamp) purge.get("next_attempt_at")).toInstant()).as("backed off").isAfter(Instant.now());
        assertThat(FakeCloudflare.acknowledged()).doesNotContain(expected);

        // not due yet: the job leaves it
        assertThat(runCdnPurge()).isEqualTo("COMPLETED");
        assertThat(purge(asset).get("acknowledged_at")).isNull();

        // its back-off over (moved here instead of waited for): sent again, acknowledged, and recorded so
        jdbc.sql("update cdn_purge set next_attempt_at = now() where id = ?").param(purge.get("id")).update();
        assertThat(runCdnPurge()).isEqualTo("COMPLETED");
        Map<String, Object> done = purge(asset);
        assertThat(done.get("acknowledged_at")).isNotNull();
        assertThat(((Number) done.get("attempts")).intValue()).isEqualTo(2);
        assertThat(done.get("last_error")).isNull();
        assertThat(FakeCloudflare.acknowledged()).contains(expected);
        assertThat(FakeCloudflare.refused()).as("every request as Cloudflare takes it").isEmpty();
    }

    private Map<String, Object> purge(UUID asset) {
        return jdbc.sql("select id, attempts, acknowledged_at, last_error, next_attempt_at from cdn_purge where ? = any(prefixes) and reason = 'trash'")
                .param("/media/" + asset + "/").query().singleRow();
    }

    private String runCdnPurge() throws InterruptedException {
        JsonNode ended = http.awaitEnd(http.post("/jobs/cdnPurge/executions", "{\"parameters\": {\"run\": \"retry-" + UUID.randomUUID() + "\"}}")
                .body().get("id").asLong());
        return ended.get("status").asString();
    }
}
