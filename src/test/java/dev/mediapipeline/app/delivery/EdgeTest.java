package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.Edge;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The application behind a real CDN edge (Varnish, {@code scripts/edge.vcl}): a rendition's second
 * request is a hit, a Range is cut from the cache, and deleting, restoring or making private an asset
 * purges its URLs (sent in the background once the change committed: the test waits for the
 * acknowledgement), so that the next request misses and answers as the origin now does.
 */
class EdgeTest extends AppTestBase {

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aRenditionIsCachedAtTheEdgeAndForgottenWhenItsAssetChanges() throws Exception {
        UUID tenant = newTenant("edge");
        JsonHttp read = http.as(newKey(tenant, "read"));
        JsonHttp write = http.as(newKey(tenant, "read", "write"));
        UUID asset = TestUploads.stage(staging, JobsApiTest.smallestPhotos(8).getLast(), tenant).id();
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"edge-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
        JsonNode rendition = read.get("/assets/" + asset).body().get("renditions").get(0);
        String url = rendition.get("url").asString();
        byte[] stored;
        String key = jdbc.sql("select object_key from file_ref where sha256 = ?").param(rendition.get("sha256").asString())
                .query(String.class).single();
        try (InputStream in = store.get(s3.buckets().published(), key).orElseThrow()) {
            stored = in.readAllBytes();
        }

        HttpResponse<byte[]> first = get(url, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<byte[]> second = get(url, null);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Cache")).as("the second request").hasValue("HIT");
        assertThat(second.headers().firstValue("Age")).isPresent();
        assertThat(second.body()).isEqualTo(stored);
        HttpResponse<byte[]> range = get(url, "bytes=0-99");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("X-Cache")).as("a Range, from the cache").hasValue("HIT");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(stored, 0, 100));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + stored.length);

        // deleted: the edge forgets it at once (purged after the change committed, acknowledged)
        assertThat(write.delete("/assets/" + asset).status()).isEqualTo(204);
        awaitCdnPurged(asset);
        assertThat(acknowledgedPurges(asset, "trash")).isEqualTo(1);
        HttpResponse<byte[]> deleted = get(url, null);
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(deleted.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(url, null).statusCode()).as("an error is not kept either").isEqualTo(404);

        // restored: a miss, the origin's answer again, then a hit
        assertThat(write.post("/assets/" + asset + "/restore", null).status()).isEqualTo(200);
        awaitCdnPurged(asset);
        assertThat(acknowledgedPurges(asset, "restore")).isEqualTo(1);
        HttpResponse<byte[]> restored = get(url, null);
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(restored.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(url, null).headers().firstValue("X-Cache")).hasValue("HIT");

        // public, then private again: the unsigned URL cached while public is forgotten
        String unsigned = url.substring(0, url.indexOf('?'));
        assertThat(get(unsigned, null).statusCode()).as("private").isEqualTo(403);
        assertThat(write.request("PATCH", "/assets/" + asset, "{\"visibility\": \"public\"}").status()).isEqualTo(200);
        awaitCdnPurged(asset);
        assertThat(get(unsigned, null).statusCode()).isEqualTo(200);
        assertThat(get(unsigned, null).headers().firstValue("X-Cache")).hasValue("HIT");
        // CORS through the edge: each allowed site gets its own Access-Control-Allow-Origin, one without Origin none,
        // and no answer is served to the other (Vary: Origin kept beside Vary: Accept)
        String auto = "/media/" + asset + "/auto/" + rendition.get("width").asInt();
        for (int round = 0; round < 2; round++) {
            assertThat(get(auto, null, "Origin", "https://app.example", "Accept", "image/webp").headers()
                    .firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
            assertThat(get(auto, null, "Origin", "http://127.0.0.1:9", "Accept", "image/webp").headers()
                    .firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:9");
            assertThat(get(auto, null, "Accept", "image/webp").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        assertThat(get(auto, null, "Origin", "https://app.example", "Accept", "image/avif,image/webp,*/*").headers().firstValue("X-Cache"))
                .as("another Accept that takes WebP: the same variant").hasValue("HIT");
        assertThat(get(unsigned + "?utm=1", null).statusCode()).as("one spelling per public URL").isEqualTo(403);
        assertThat(write.request("PATCH", "/assets/" + asset, "{\"visibility\": \"private\"}").status()).isEqualTo(200);
        awaitCdnPurged(asset);
        HttpResponse<byte[]> privateAgain = get(unsigned, null);
        assertThat(privateAgain.statusCode()).as("private again: not the cached public answer").isEqualTo(403);
        assertThat(acknowledgedPurges(asset, "visibility")).isEqualTo(2);
    }

    private long acknowledgedPurges(UUID asset, String reason) {
        return jdbc.sql("select count(*) from cdn_purge where ? = any(prefixes) and reason = ? and acknowledged_at is not null")
                .params("/media/" + asset + "/", reason).query(Long.class).single();
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String range, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Edge.url(pathAndQuery)));
        if (range != null) {
            request.header("Range", range);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
