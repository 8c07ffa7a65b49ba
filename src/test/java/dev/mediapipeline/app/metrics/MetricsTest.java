package dev.mediapipeline.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Prometheus endpoint over real HTTP after a real ingest: Prometheus' own {@code promtool}
 * accepts the exposition, and the pipeline's counters moved by exactly what the job did (published,
 * rejected, quarantined items; their bytes; one scan per item) and what delivery sent.
 */
class MetricsTest extends AppTestBase {

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theScrapePassesPromtoolAndItsCountersEqualWhatTheJobDid(@TempDir Path dir) throws Exception {
        UUID tenant = newTenant("metrics");
        List<Path> photos = JobsApiTest.smallestPhotos(6).subList(3, 6);
        byte[] jpeg = Files.readAllBytes(photos.getFirst());
        Path truncated = Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, 300));
        Path eicar = Files.write(dir.resolve("eicar.jpg"), TestSamples.EICAR);
        for (Path photo : photos) {
            TestUploads.stage(staging, photo, tenant);
        }
        TestUploads.stage(staging, truncated, tenant);
        TestUploads.stage(staging, eicar, tenant);

        String before = scrape();
        assertThat(http.as(newKey(tenant, "read")).get("/actuator/prometheus").status()).as("an admin's route").isEqualTo(403);
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"metrics-" + UUID.randomUUID() + "\", \"tenant\": \"" + tenant + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
        long execution = ended.get("id").asLong();
        String after = scrape();

        // promtool, Prometheus' own checker, takes the whole exposition
        Path scrape = Files.writeString(dir.resolve("scrape.txt"), after);
        String promtool = TestServices.run(List.of("sh", "-c", "promtool check metrics < " + scrape), 60);
        assertThat(promtool).as("promtool's findings").doesNotContainIgnoringCase("error");

        // the job's own counts, from its rows
        long published = jdbc.sql("select count(*) from asset where tenant_id = ?").param(tenant).query(Long.class).single();
        long quarantined = jdbc.sql("select count(*) from ingest_rejection where job_execution_id = ? and signature is not null")
                .param(execution).query(Long.class).single();
        long rejected = jdbc.sql("select count(*) from ingest_rejection where job_execution_id = ? and signature is null and reason not like 'failed%'")
                .param(execution).query(Long.class).single();
        assertThat(published).isEqualTo(photos.size());
        assertThat(quarantined).isEqualTo(1);
        assertThat(rejected).isEqualTo(1);
        assertThat(delta(before, after, "media_items_total", "job=\"mediaIngest\"", "outcome=\"published\"")).isEqualTo(published);
        assertThat(delta(before, after, "media_items_total", "job=\"mediaIngest\"", "outcome=\"rejected\"")).isEqualTo(rejected);
        assertThat(delta(before, after, "media_items_total", "job=\"mediaIngest\"", "outcome=\"quarantined\"", "reason=\"infected\""))
                .isEqualTo(quarantined);
        long originals = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset a join asset_version v on v.asset_id = a.id join file_ref f on f.sha256 = v.original_sha256
                where a.tenant_id = ?""").param(tenant).query(Long.class).single();
        long renditions = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset a join rendition r on r.asset_id = a.id join file_ref f on f.sha256 = r.sha256
                where a.tenant_id = ?""").param(tenant).query(Long.class).single();
        assertThat(delta(before, after, "media_ingested_bytes_total", "kind=\"original\"")).isEqualTo(originals);
        assertThat(delta(before, after, "media_published_bytes_total", "kind=\"rendition\"")).isEqualTo(renditions);
        long items = photos.size() + 2;
        assertThat(delta(before, after, "media_stage_seconds_count", "stage=\"assemble\"")).isEqualTo(items);
        assertThat(delta(before, after, "media_scan_seconds_count", "verdict=\"clean\"")).isGreaterThanOrEqualTo(published + 1);
        assertThat(delta(before, after, "media_scan_seconds_count", "verdict=\"infected\"")).isGreaterThanOrEqualTo(1);
        long jpegs = jdbc.sql("select count(*) from asset a join rendition r on r.asset_id = a.id where a.tenant_id = ? and r.format = 'jpeg'")
                .param(tenant).query(Long.class).single();
        long webps = jdbc.sql("select count(*) from asset a join rendition r on r.asset_id = a.id where a.tenant_id = ? and r.format = 'webp'")
                .param(tenant).query(Long.class).single();
        assertThat(delta(before, after, "media_encode_seconds_count", "format=\"jpeg\"")).as("one encode per JPEG rendition").isEqualTo(jpegs);
        assertThat(delta(before, after, "media_encode_seconds_count", "format=\"webp\"")).isEqualTo(webps);
        assertThat(after).contains("media_stage_seconds_bucket{").contains("media_items_pending").contains("media_uploads_pending_bytes");

        // delivery: the bytes sent, by route and format
        JsonHttp read = http.as(newKey(tenant, "read"));
        UUID asset = jdbc.sql("select id from asset where tenant_id = ? limit 1").param(tenant).query(UUID.class).single();
        JsonNode rendition = read.get("/assets/" + asset).body().get("renditions").get(0);
        String deliveredBefore = scrape();
        HttpResponse<byte[]> fetched = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + rendition.get("url").asString())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        String format = rendition.get("format").asString();
        String deliveredAfter = scrape();
        assertThat(delta(deliveredBefore, deliveredAfter, "media_delivery_bytes_total", "route=\"media\"", "format=\"" + format + "\""))
                .isEqualTo(fetched.body().length);
        assertThat(delta(deliveredBefore, deliveredAfter, "media_delivery_requests_total", "route=\"media\"", "format=\"" + format + "\"",
                "answer=\"full\"")).isEqualTo(1);
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rendition.get("url").asString()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        String headAfter = scrape();
        assertThat(delta(deliveredAfter, headAfter, "media_delivery_requests_total", "route=\"media\"", "answer=\"head\"")).isEqualTo(1);
        assertThat(delta(deliveredAfter, headAfter, "media_delivery_bytes_total", "route=\"media\"")).as("a HEAD sends no body").isZero();
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + adminKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return response.body();
    }

    /** How much the sum of a metric's series carrying every one of {@code labels} grew between two scrapes. */
    private static long delta(String before, String after, String metric, String... labels) {
        return Math.round(sum(after, metric, labels) - sum(before, metric, labels));
    }

    private static double sum(String scrape, String metric, String... labels) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (m.find()) {
            String series = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= series.contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
