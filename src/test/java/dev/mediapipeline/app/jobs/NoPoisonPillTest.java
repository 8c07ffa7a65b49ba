package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An item whose processing throws (here JCodec's H.264 decoder, on the poster frame of a video with
 * a few bits flipped) is set aside as failed:&lt;class&gt; with its staged bytes kept; the items around it are published and the
 * job completes, and a requeue of that class takes it again.
 */
class NoPoisonPillTest extends AppTestBase {

    @Test
    void anItemWhoseEncoderFailsIsSetAsideAndTheJobCompletes(@TempDir Path dir) throws Exception {
        List<Path> photos = JobsApiTest.smallestPhotos(2);
        UUID before = TestUploads.stage(staging, photos.get(0)).id();
        // a real video with 1 to 32 bits flipped (the fuzz run's mutant bits-006, seed 1): JCodec's H.264 decoder throws on
        // the frame the poster is taken from, an item whose processing fails, not a refusal of its content
        Path birds = TestServices.corpus().resolve("video/videos__birds.mp4");
        var mutant = dev.mediapipeline.app.fuzz.Mutations.of(birds.getFileName().toString(), Files.readAllBytes(birds), 7, 1).get(6);
        UUID broken = TestUploads.stage(staging, Files.write(dir.resolve(mutant.name()), mutant.bytes())).id();
        UUID after = TestUploads.stage(staging, photos.get(1)).id();

        Reply launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"poison-" + UUID.randomUUID() + "\"}}");
        JsonNode ended = http.awaitEnd(launched.body().get("id").asLong());
        assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from asset where id in (?, ?)").params(before, after).query(Long.class).single())
                .as("the items around it are published").isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from asset where id = ?").param(broken).query(Long.class).single()).isZero();

        Map<String, Object> entry = jdbc.sql("select failure_class, reason from failure_ledger where item_id = ? order by id desc limit 1")
                .param(broken).query().singleRow();
        String failureClass = (String) entry.get("failure_class");
        assertThat(failureClass).as("set aside as a failure of its own, not a refusal").startsWith("failed:");
        assertThat(jdbc.sql("select state from ingest_item where upload_id = ?").param(broken).query(String.class).single()).isEqualTo("REJECTED");
        assertThat(staging.find(broken)).as("its staged bytes are kept for a requeue").isPresent();

        Reply requeue = http.post("/jobs/requeueFailures/executions",
                "{\"parameters\": {\"failureClass\": \"" + failureClass + "\", \"run\": \"" + UUID.randomUUID() + "\"}}");
        assertThat(requeue.status()).as(requeue.body().toString()).isEqualTo(202);
        JsonNode requeued = http.awaitEnd(requeue.body().get("id").asLong());
        assertThat(requeued.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select count(*) from failure_ledger where item_id = ? and requeued_at is not null").param(broken)
                .query(Long.class).single()).as("the requeue took the failed item").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from failure_ledger where item_id = ?").param(broken).query(Long.class).single())
                .as("and it failed again, on its own").isEqualTo(2);
    }
}
