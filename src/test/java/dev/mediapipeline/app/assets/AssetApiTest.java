package dev.mediapipeline.app.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The asset API's read side over real HTTP with two tenants: pages through more assets than the
 * limit with no duplicate and no gap while new assets arrive, one asset with its renditions (their
 * sizes those of the stored objects) or its stream and poster, its versions, the filters, bad
 * values answered 400, and nothing of one tenant's seen by the other's key.
 */
class AssetApiTest extends AppTestBase {

    @Test
    void aTenantPagesThroughItsAssetsAndSeesNothingOfAnothers() throws Exception {
        UUID a = newTenant("assets-a");
        UUID b = newTenant("assets-b");
        JsonHttp aRead = http.as(newKey(a, "read"));
        JsonHttp bRead = http.as(newKey(b, "read"));

        List<Path> photos = JobsApiTest.smallestPhotos(7);
        List<UUID> aPhotos = new ArrayList<>();
        for (Path photo : photos.subList(0, 5)) {
            aPhotos.add(TestUploads.stage(staging, photo, a).id());
        }
        UUID aVideo = TestUploads.stage(staging, TestServices.corpus().resolve("video/videos__birds.mp4"), a).id();
        UUID bPhoto = TestUploads.stage(staging, photos.get(5), b).id();
        ingest();
        Set<UUID> before = new HashSet<>(aPhotos);
        before.add(aVideo);

        // pages of 2 while two more of A's assets are published between the first page and the rest
        List<UUID> seen = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        Reply page = aRead.get("/assets?limit=2");
        assertThat(page.status()).isEqualTo(200);
        List<UUID> arrived = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            JsonNode items = page.body().get("items");
            assertThat(items.size()).isBetween(1, 2);
            for (JsonNode item : items) {
                seen.add(UUID.fromString(item.get("id").asString()));
                times.add(Instant.parse(item.get("createdAt").asString()));
                assertThat(item.get("tenantId").asString()).isEqualTo(a.toString());
            }
            if (pages == 1) {
                arrived.add(TestUploads.stage(staging, photos.get(6), a).id());
                arrived.add(TestUploads.stage(staging, photos.get(0), a).id());
                ingest();
            }
            JsonNode next = page.body().get("nextCursor");
            if (next == null || next.isNull()) {
                break;
            }
            page = aRead.get("/assets?limit=2&cursor=" + next.asString());
            assertThat(page.status()).isEqualTo(200);
        }
        assertThat(seen).as("no duplicate").doesNotHaveDuplicates();
        assertThat(seen).as("no gap: every asset there before the listing began").containsAll(before);
        assertThat(seen).as("the first page came before they arrived, and they are newer than every later page")
                .doesNotContainAnyElementsOf(arrived);
        assertThat(seen).doesNotContain(bPhoto);
        assertThat(times).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(pages).isEqualTo(3);

        // the other tenant's key: its own asset only, and A's are not found
        JsonNode bList = bRead.get("/assets").body();
        assertThat(bList.get("items").size()).isEqualTo(1);
        assertThat(bList.get("items").get(0).get("id").asString()).isEqualTo(bPhoto.toString());
        assertThat(bRead.get("/assets/" + aPhotos.getFirst()).status()).isEqualTo(404);
        assertThat(bRead.get("/assets/" + aPhotos.getFirst() + "/versions").status()).isEqualTo(404);
        assertThat(aRead.get("/assets/" + bPhoto).status()).isEqualTo(404);
        // an admin's key sees both
        assertThat(http.get("/assets/" + bPhoto).status()).isEqualTo(200);

        // one photo: its renditions, each the size of the object stored
        JsonNode photo = aRead.get("/assets/" + aPhotos.getFirst()).body();
        assertThat(photo.get("kind").asString()).isEqualTo("image");
        assertThat(photo.get("originalFilename").asString()).isEqualTo(photos.getFirst().getFileName().toString());
        assertThat(photo.get("currentVersion").asInt()).isEqualTo(1);
        assertThat(photo.get("original").get("format").asString()).isEqualTo("jpeg");
        assertThat(photo.get("renditions").size()).isPositive();
        for (JsonNode rendition : photo.get("renditions")) {
            String sha = rendition.get("sha256").asString();
            String key = jdbc.sql("select object_key from file_ref where sha256 = ?").param(sha).query(String.class).single();
            assertThat(store.head(s3.buckets().published(), key).orElseThrow().size()).as(rendition.toString())
                    .isEqualTo(rendition.get("bytes").asLong());
            assertThat(rendition.get("width").asInt()).isPositive();
        }
        assertThat(photo.get("stream").isNull()).isTrue();

        // the video: its stream and its poster's renditions
        JsonNode video = aRead.get("/assets/" + aVideo).body();
        assertThat(video.get("kind").asString()).isEqualTo("video");
        assertThat(video.get("stream").get("durationSeconds").asDouble()).isPositive();
        assertThat(video.get("stream").get("videoCodec").asString()).startsWith("avc1");
        // its playable URLs, signed: usable as they are, with no key
        for (String entry : new String[] {"hls", "dash"}) {
            var played = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + video.get("stream").get(entry).asString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(played.statusCode()).as(entry).isEqualTo(200);
            assertThat(played.body()).as(entry).contains("/streams/" + aVideo + "/v1/~");
        }
        assertThat(video.get("poster").size()).isPositive();
        assertThat(video.get("renditions").size()).isZero();

        JsonNode versions = aRead.get("/assets/" + aPhotos.getFirst() + "/versions").body();
        assertThat(versions.size()).isEqualTo(1);
        assertThat(versions.get(0).get("current").asBoolean()).isTrue();
        assertThat(versions.get(0).get("tools").asString()).isNotBlank();

        // filters
        JsonNode videos = aRead.get("/assets?kind=video").body().get("items");
        assertThat(videos.size()).isEqualTo(1);
        assertThat(videos.get(0).get("id").asString()).isEqualTo(aVideo.toString());
        String part = "birds";
        assertThat(aRead.get("/assets?filename=" + part).body().get("items").size()).isEqualTo(1);
        String later = URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8);
        assertThat(aRead.get("/assets?createdAfter=" + later).body().get("items").size()).isZero();
        assertThat(aRead.get("/assets?createdBefore=" + later + "&limit=500").body().get("items").size()).isEqualTo(8);

        // bad values: 400 with what is wrong
        for (String bad : List.of("limit=0", "limit=501", "limit=ten", "cursor=bm90LW91cnM", "cursor=!!!", "kind=audio",
                "createdAfter=yesterday", "createdAfter=-100000-01-01T00:00:00Z", "cursor=djE6OTk5OTk5OTk5OTk5OTk5OTk5OTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA", "cursor=djE6OTk5OTk5OTk5OTk5OTk5OTk5OjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA")) {
            Reply refused = aRead.get("/assets?" + bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.contentType()).as(bad).startsWith("application/problem+json");
        }
        assertThat(aRead.get("/assets/not-a-uuid").status()).isEqualTo(404);
        assertThat(http.as(newKey(a, "upload")).get("/assets").status()).as("an upload key cannot list").isEqualTo(403);
    }

    private void ingest() throws InterruptedException {
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"assets-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("COMPLETED");
    }

}
