package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The origin over real HTTP: an asset's URLs from the asset API, signed, fetched with no key; byte
 * ranges equal to the stored object's bytes, 304 on its ETag, 416 past its end; a download under the
 * original's name; expired, tampered, moved and unsigned requests refused; a key of the asset's
 * tenant reads it unsigned, another tenant's does not find it.
 */
class DeliveryTest extends AppTestBase {

    @Autowired
    UrlSigning signing;

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void signedUrlsServeRangesOfTheStoredBytesAndNothingElse(@TempDir Path dir) throws Exception {
        UUID a = newTenant("delivery-a");
        UUID b = newTenant("delivery-b");
        String aRead = newKey(a, "read");
        Path photo = Files.copy(JobsApiTest.smallestPhotos(8).getLast(), dir.resolve("café 写真.jpg"));
        UUID asset = TestUploads.stage(staging, photo, a).id();
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"delivery-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");

        JsonNode detail = http.as(aRead).get("/assets/" + asset).body();
        JsonNode rendition = detail.get("renditions").get(0);
        for (JsonNode candidate : detail.get("renditions")) {
            if (candidate.get("bytes").asLong() > rendition.get("bytes").asLong()) {
                rendition = candidate; // the largest, so that a middle slice is in the middle
            }
        }
        String url = rendition.get("url").asString();
        assertThat(url).startsWith("/media/" + asset + "/" + rendition.get("format").asString() + "/" + rendition.get("width").asInt())
                .contains("?exp=").contains("&sig=");
        byte[] stored = stored(rendition.get("sha256").asString());
        long n = stored.length;
        assertThat(n).isEqualTo(rendition.get("bytes").asLong()).isGreaterThan(2000);

        // the whole object, with no key
        HttpResponse<byte[]> whole = get(url, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(stored);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + rendition.get("sha256").asString() + "\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(n);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue(rendition.get("contentType").asString());
        // the current version's bytes: briefly, publicly for a signed URL (a CDN keys on it whole), revalidated by the ETag
        assertThat(whole.headers().firstValue("Cache-Control").orElseThrow()).matches("public, max-age=(300|29\\d|2\\d\\d)");

        // ranges: the first 100 bytes, a middle slice, the last byte, past the end
        HttpResponse<byte[]> head100 = get(url, null, "Range", "bytes=0-99");
        assertThat(head100.statusCode()).isEqualTo(206);
        assertThat(head100.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + n);
        assertThat(head100.body()).isEqualTo(Arrays.copyOfRange(stored, 0, 100));
        HttpResponse<byte[]> middle = get(url, null, "Range", "bytes=1000-1999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(stored, 1000, 2000));
        HttpResponse<byte[]> lastByte = get(url, null, "Range", "bytes=-1");
        assertThat(lastByte.statusCode()).isEqualTo(206);
        assertThat(lastByte.headers().firstValue("Content-Range")).hasValue("bytes " + (n - 1) + "-" + (n - 1) + "/" + n);
        assertThat(lastByte.body()).containsExactly(stored[(int) n - 1]);
        HttpResponse<byte[]> past = get(url, null, "Range", "bytes=" + n + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + n);
        assertThat(past.headers().firstValue("Cache-Control")).as("a 416 is never cached").hasValue("no-store");
        assertThat(past.headers().firstValue("ETag")).isEmpty();

        // validators
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(get(url, null, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> staleIfRange = get(url, null, "Range", "bytes=0-99", "If-Range", "\"" + "0".repeat(64) + "\"");
        assertThat(staleIfRange.statusCode()).as("If-Range of another version: the whole object").isEqualTo(200);
        assertThat(staleIfRange.body()).isEqualTo(stored);
        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(n);

        // the original, downloaded under its own name
        String originalUrl = detail.get("originalUrl").asString();
        HttpResponse<byte[]> original = get(originalUrl + "&download=1", null);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(original.body())))
                .isEqualTo(detail.get("original").get("sha256").asString());
        assertThat(original.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
                .contains("filename*=UTF-8''caf%C3%A9%20%E5%86%99%E7%9C%9F.jpg");

        // refusals: expired, tampered, moved, unsigned
        String path = url.substring(0, url.indexOf('?'));
        HttpResponse<byte[]> expired = get(signing.signed(path, Instant.now().minusSeconds(5)), null);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(new String(expired.body())).contains("expired");
        String sig = url.substring(url.indexOf("&sig=") + 5);
        String tampered = url.substring(0, url.indexOf("&sig=") + 5) + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        assertThat(get(tampered, null).statusCode()).isEqualTo(403);
        String moved = "/media/" + asset + "/original" + url.substring(url.indexOf('?'));
        assertThat(get(moved, null).statusCode()).as("a rendition's signature on the original").isEqualTo(403);
        assertThat(get(path, null).statusCode()).as("no signature, no key: not public").isEqualTo(403);
        assertThat(get(url + "&cachebust=1", null).statusCode()).as("anything the signature does not cover").isEqualTo(403);
        String respelled = "/media" + url.substring(6).replace("?exp=", "?exp=0");
        assertThat(get(respelled, null).statusCode()).as("one spelling per signed URL").isEqualTo(403);

        // keys: the asset's tenant reads it unsigned (privately cached); another tenant does not find it
        HttpResponse<byte[]> byKey = get(path, aRead);
        assertThat(byKey.statusCode()).isEqualTo(200);
        assertThat(byKey.body()).isEqualTo(stored);
        assertThat(byKey.headers().firstValue("Cache-Control")).hasValue("private, max-age=300");
        assertThat(get(path, newKey(b, "read")).statusCode()).isEqualTo(404);
        assertThat(get(path, newKey(a, "upload")).statusCode()).isEqualTo(403);
        assertThat(get("/media/" + asset + "/gif/320", aRead).statusCode()).isEqualTo(404);
        assertThat(get("/media/" + asset + "/jpeg/99999", aRead).statusCode()).isEqualTo(404);
    }

    private byte[] stored(String sha256) throws Exception {
        String key = jdbc.sql("select object_key from file_ref where sha256 = ?").param(sha256).query(String.class).single();
        try (var in = store.get(s3.buckets().published(), key).orElseThrow()) {
            byte[] bytes = in.readAllBytes();
            assertThat(Sha256.hex(Sha256.newDigest().digest(bytes))).isEqualTo(sha256);
            return bytes;
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
