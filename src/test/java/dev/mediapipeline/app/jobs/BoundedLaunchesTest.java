package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A process runs at most media.jobs.max-running executions (2 in the tests): a launch past it is
 * refused with 503 and Retry-After, never queued without bound; once one ends, launches go through.
 */
class BoundedLaunchesTest extends AppTestBase {

    @Test
    void launchesPastTheLimitAnswer503UntilOneEnds() throws Exception {
        Path photo = JobsApiTest.smallestPhotos(1).getFirst();
        String a = http.post("/admin/tenants", "{\"name\": \"busy-a-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
                .body().get("id").asString();
        String b = http.post("/admin/tenants", "{\"name\": \"busy-b-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
                .body().get("id").asString();
        TestUploads.stage(staging, photo, UUID.fromString(a));
        TestUploads.stage(staging, photo, UUID.fromString(b));
        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.pauseWritesTo(s3.buckets().published());
        long first;
        long second;
        try {
            // the admin launches one ingest for each tenant: both are held at their first write
            first = launch("{\"run\": \"busy-" + UUID.randomUUID() + "\", \"tenant\": \"" + a + "\"}").body().get("id").asLong();
            pausable.awaitWriterHeld();
            second = launch("{\"run\": \"busy-" + UUID.randomUUID() + "\", \"tenant\": \"" + b + "\"}").body().get("id").asLong();

            Reply third = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"busy-" + UUID.randomUUID() + "\"}}");
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.header("Retry-After")).isEqualTo("30");
            assertThat(third.body().get("detail").asString()).contains("media.jobs.max-running");
        } finally {
            pausable.resume();
        }
        assertThat(http.awaitEnd(first).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(http.awaitEnd(second).get("status").asString()).isEqualTo("COMPLETED");
        Reply after = launch("{\"run\": \"busy-" + UUID.randomUUID() + "\", \"tenant\": \"" + a + "\"}");
        assertThat(http.awaitEnd(after.body().get("id").asLong()).get("status").asString()).isEqualTo("COMPLETED");
    }

    private Reply launch(String parameters) {
        Reply launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": " + parameters + "}");
        assertThat(launched.status()).as(launched.body().toString()).isEqualTo(202);
        return launched;
    }
}
