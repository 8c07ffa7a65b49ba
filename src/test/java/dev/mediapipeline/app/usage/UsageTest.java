package dev.mediapipeline.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.Edge;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Usage statistics end to end: a tenant's renditions and stream fetched from the origin with a key,
 * and anonymously through the real edge (Varnish, whose access log the rollup reads), show up in
 * {@code GET /usage} after the {@code usageRollup} job with exactly the bytes and requests the
 * clients received, per format, with the edge's hits; the edge's fetches from the origin are not
 * counted twice; another tenant sees none of it; and a second rollup gives the same rows.
 */
class UsageTest extends AppTestBase {

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What the clients got, per format: requests and body bytes. */
    final Map<String, long[]> got = new HashMap<>();
    long edgeRequests;
    long edgeHits;
    long edgeHitBytes;

    @Test
    void deliveryThroughTheOriginAndTheEdgeIsCountedExactlyPerTenantAndFormat() throws Exception {
        // the days the test spans (UTC, as the server counts them): two when it runs across midnight
        String firstDay = LocalDate.now(ZoneOffset.UTC).toString();
        UUID tenant = newTenant("usage");
        UUID other = newTenant("usage-other");
        String readKey = newKey(tenant, "read");
        JsonHttp read = http.as(readKey);
        JsonHttp write = http.as(newKey(tenant, "read", "write"));
        Path photo = JobsApiTest.smallestPhotos(6).get(4);
        Path clip = TestServices.corpus().resolve("video/images__realshort.mp4");
        UUID image = TestUploads.stage(staging, photo, tenant).id();
        UUID video = TestUploads.stage(staging, clip, tenant).id();
        JsonNode ingested = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"usage-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingested.get("status").asString()).isEqualTo("COMPLETED");
        for (UUID asset : List.of(image, video)) {
            assertThat(write.request("PATCH", "/assets/" + asset, "{\"visibility\": \"public\"}").status()).isEqualTo(200);
        }
        JsonNode renditions = read.get("/assets/" + image).body().get("renditions");
        String jpeg = null;
        String webp = null;
        for (JsonNode r : renditions) {
            String url = URI.create(r.get("url").asString()).getPath();
            if (jpeg == null && r.get("format").asString().equals("jpeg")) {
                jpeg = url;
            }
            if (webp == null && r.get("format").asString().equals("webp")) {
                webp = url;
            }
        }

        // one spelling of an id: another would be delivery the edge's log names no asset for
        assertThat(read.get(jpeg.replace(image.toString(), image.toString().toUpperCase(java.util.Locale.ROOT))).status()).isEqualTo(404);
        // the origin, with the tenant's key: a whole JPEG and a range of a WebP
        fetch(origin(jpeg), readKey, null, false);
        fetch(origin(webp), readKey, "bytes=10-209", false);
        // the edge, anonymously: a miss and then hits, a Range cut from the cache, and with a key (passed to the origin)
        fetch(Edge.url(jpeg), null, null, true);
        fetch(Edge.url(jpeg), null, null, true);
        fetch(Edge.url(jpeg), null, "bytes=0-99", true);
        fetch(Edge.url(webp), readKey, null, true);
        // the stream through the edge: its master playlist, a variant playlist, its init segment and first media segment, twice
        for (int round = 0; round < 2; round++) {
            String master = "/streams/" + video + "/master.m3u8";
            String masterText = new String(fetch(Edge.url(master), null, null, true), StandardCharsets.UTF_8);
            String variant = resolve(master, firstUri(masterText));
            String variantText = new String(fetch(Edge.url(variant), null, null, true), StandardCharsets.UTF_8);
            String init = resolve(variant, variantText.lines().filter(l -> l.startsWith("#EXT-X-MAP:")).findFirst().orElseThrow()
                    .replaceAll(".*URI=\"([^\"]+)\".*", "$1"));
            fetch(Edge.url(init), null, null, true);
            fetch(Edge.url(resolve(variant, firstUri(variantText))), null, null, true);
        }
        assertThat(edgeHits).as("the second round is served from the edge").isGreaterThanOrEqualTo(5);
        awaitEdgeLogged(List.of(image, video), edgeRequests);

        JsonNode first = rollup();
        assertThat(first.get("status").asString()).isEqualTo("COMPLETED");
        String range = "from=" + firstDay + "&to=" + LocalDate.now(ZoneOffset.UTC);
        Map<String, JsonNode> byFormat = rows(read.get("/usage?" + range + "&groupBy=format").body(), "format");
        for (Map.Entry<String, long[]> expected : got.entrySet()) {
            JsonNode row = byFormat.get(expected.getKey());
            assertThat(row).as(expected.getKey() + " in " + byFormat.keySet()).isNotNull();
            assertThat(row.get("requests").asLong()).as(expected.getKey() + " requests").isEqualTo(expected.getValue()[0]);
            assertThat(row.get("bytes").asLong()).as(expected.getKey() + " bytes").isEqualTo(expected.getValue()[1]);
        }
        assertThat(byFormat.get("jpeg").get("edgeHits").asLong()).isEqualTo(2);
        assertThat(byFormat.get("original").get("storageBytes").asLong()).as("storage: the originals")
                .isEqualTo(Files.size(photo) + Files.size(clip));
        assertThat(byFormat.get("stream").get("storageBytes").asLong())
                .isEqualTo(jdbc.sql("select bytes from video_stream where asset_id = ?").param(video).query(Long.class).single());

        Map<String, Long> row = total(read.get("/usage?" + range).body().get("rows"), tenant);
        long requests = got.values().stream().mapToLong(c -> c[0]).sum();
        long bytes = got.values().stream().mapToLong(c -> c[1]).sum();
        assertThat(row.get("requests")).isEqualTo(requests);
        assertThat(row.get("bytes")).isEqualTo(bytes);
        assertThat(row.get("imageBytes") + row.get("streamBytes")).isEqualTo(bytes);
        assertThat(row.get("edgeRequests")).isEqualTo(edgeRequests);
        assertThat(row.get("edgeHits")).isEqualTo(edgeHits);
        assertThat(row.get("edgeHitBytes")).isEqualTo(edgeHitBytes);
        assertThat(row.get("originFetchBytes")).as("the edge's misses and passes, fetched from the origin").isPositive();
        assertThat(row.get("uploads")).isEqualTo(2);
        assertThat(row.get("uploadBytes")).isEqualTo(Files.size(photo) + Files.size(clip));
        assertThat(row.get("items")).isEqualTo(2);
        long renditionsMillis = jdbc.sql("select coalesce(sum(r.encode_ms), 0) from rendition r join asset a on a.id = r.asset_id where a.tenant_id = ?")
                .param(tenant).query(Long.class).single();
        assertThat(row.get("encodeMillis")).as("the renditions' encodes and the video's packaging").isGreaterThan(renditionsMillis);
        assertThat(row.get("storageBytes")).isGreaterThan(Files.size(photo) + Files.size(clip));

        Map<String, JsonNode> byAsset = rows(read.get("/usage?groupBy=asset").body(), "asset");
        assertThat(byAsset.keySet()).containsExactlyInAnyOrder(image.toString(), video.toString());
        assertThat(byAsset.get(image.toString()).get("bytes").asLong() + byAsset.get(video.toString()).get("bytes").asLong()).isEqualTo(bytes);

        // another tenant sees none of it, and may not ask for it; an admin sees it by tenant
        JsonHttp otherRead = http.as(newKey(other, "read"));
        assertThat(otherRead.get("/usage?" + range).body().get("rows").toString()).doesNotContain(tenant.toString());
        assertThat(otherRead.get("/usage?tenant=" + tenant).status()).isEqualTo(403);
        assertThat(total(http.get("/usage?" + range + "&tenant=" + tenant).body().get("rows"), tenant).get("bytes")).isEqualTo(bytes);
        assertThat(http.as(newKey(tenant, "upload")).get("/usage").status()).as("an upload key").isEqualTo(403);

        // recomputed: the same figures
        assertThat(rollup().get("status").asString()).isEqualTo("COMPLETED");
        Map<String, Long> again = total(read.get("/usage?" + range).body().get("rows"), tenant);
        assertThat(again.get("bytes")).isEqualTo(bytes);
        assertThat(again.get("requests")).isEqualTo(requests);
        assertThat(again.get("edgeHits")).isEqualTo(edgeHits);

        // bad input: a clear 400
        assertThat(read.get("/usage?groupBy=week").status()).isEqualTo(400);
        assertThat(read.get("/usage?from=yesterday").status()).isEqualTo(400);
        assertThat(read.get("/usage?from=2024-01-01&to=2026-01-01").status()).isEqualTo(400);
        assertThat(read.get("/usage?from=2026-02-01&to=2026-01-01").status()).isEqualTo(400);
        assertThat(read.get("/usage?tenant=nobody").status()).isEqualTo(400);
    }

    private JsonNode rollup() throws InterruptedException {
        return http.awaitEnd(http.post("/jobs/usageRollup/executions",
                "{\"parameters\": {\"run\": \"usage-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
    }

    /** Fetches a URL as a client would, and counts what it got by the format of its content type. */
    private byte[] fetch(String url, String key, String range, boolean edge) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isIn(200, 206);
        String format = switch (response.headers().firstValue("Content-Type").orElse("").split(";")[0]) {
            case "image/jpeg" -> "jpeg";
            case "image/webp" -> "webp";
            case "application/vnd.apple.mpegurl" -> "m3u8";
            case "video/mp4", "audio/mp4" -> "init";
            case "video/iso.segment" -> "segment";
            default -> throw new AssertionError("unexpected type of " + url + ": " + response.headers().firstValue("Content-Type"));
        };
        long[] counts = got.computeIfAbsent(format, f -> new long[2]);
        counts[0]++;
        counts[1] += response.body().length;
        if (edge) {
            edgeRequests++;
            if (response.headers().firstValue("X-Cache").orElse("").equals("HIT")) {
                edgeHits++;
                edgeHitBytes += response.body().length;
            }
        }
        return response.body();
    }

    private String origin(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String firstUri(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
    }

    private static String resolve(String base, String uri) {
        return URI.create("http://edge" + base).resolve(uri).getRawPath();
    }

    /** Waits until the edge's access log holds a line for every request made through it (varnishncsa writes each as it ends). */
    private static void awaitEdgeLogged(List<UUID> assets, long expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        long lines = 0;
        while (Instant.now().isBefore(deadline)) {
            // complete lines only (a line is read once its newline is written)
            String text = new String(Files.readAllBytes(Edge.LOG), StandardCharsets.ISO_8859_1);
            lines = text.substring(0, text.lastIndexOf('\n') + 1).lines()
                    .filter(l -> assets.stream().anyMatch(a -> l.contains(a.toString()))).count();
            if (lines >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the edge's log holds " + lines + " of the " + expected + " requests made through it");
    }

    /** The day rows' figures added up (all of them {@code tenant}'s); encode time in milliseconds as encodeMillis. */
    private static Map<String, Long> total(JsonNode rows, UUID tenant) {
        assertThat(rows.size()).as("a row a day").isBetween(1, 2);
        Map<String, Long> total = new HashMap<>();
        for (JsonNode row : rows) {
            assertThat(row.get("tenant").asString()).isEqualTo(tenant.toString());
            for (String field : List.of("requests", "bytes", "imageBytes", "streamBytes", "edgeRequests", "edgeHits", "edgeHitBytes",
                    "originFetchBytes", "uploads", "uploadBytes", "items", "storageBytes")) {
                total.merge(field, row.get(field).asLong(), Long::sum);
            }
            total.merge("encodeMillis", Math.round(row.get("encodeSeconds").asDouble() * 1000), Long::sum);
        }
        return total;
    }

    private static Map<String, JsonNode> rows(JsonNode body, String field) {
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : body.get("rows")) {
            rows.put(row.get(field).asString(), row);
        }
        return rows;
    }
}
