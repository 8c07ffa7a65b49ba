package dev.mediapipeline.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.NodeClients;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator console in Debian's chromium, driven by playwright-core ({@code src/test/node/console.mjs}):
 * a tenant's operator signs in with a jobs and read key, watches an ingest (held at its first write to
 * the bucket) run with its partitions and end COMPLETED, requeues a failure class from the ledger, and
 * sees usage charts whose bars are exactly the rows {@code GET /usage} gives the same key. The
 * screenshot is kept in {@code target/console.png}.
 */
class ConsoleTest extends AppTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    dev.mediapipeline.app.metrics.WaitingItems waitingItems;

    @org.springframework.beans.factory.annotation.Autowired
    dev.mediapipeline.jobs.remote.WorkerProperties workers;

    static final Path SCREENSHOT = TestServices.repoRoot().resolve("target/console.png");

    @Test
    void anOperatorFollowsAJobRequeuesFailuresAndReadsTheUsageCharts(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        UUID tenant = newTenant("console");
        String key = newKey(tenant, "jobs", "read");
        JsonHttp operator = http.as(key);
        // usage of the day to chart: one published photo, fetched once; one upload refused (a failure class to requeue)
        UUID photo = TestUploads.stage(staging, JobsApiTest.smallestPhotos(10).get(7), tenant).id();
        TestUploads.stage(staging, Files.writeString(dir.resolve("notes.jpg"), "these are notes, not a photo"), tenant);
        JsonNode first = operator.awaitEnd(operator.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"console-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(first.get("status").asString()).isEqualTo("COMPLETED");
        String rendition = URI.create(operator.get("/assets/" + photo).body().get("renditions").get(0).get("url").asString()).getPath();
        assertThat(operator.get(rendition).status()).isEqualTo(200);
        assertThat(http.awaitEnd(http.post("/jobs/usageRollup/executions",
                "{\"parameters\": {\"run\": \"console-" + UUID.randomUUID() + "\"}}").body().get("id").asLong()).get("status").asString())
                .isEqualTo("COMPLETED");
        assertThat(operator.get("/failures/classes").body().size()).isPositive();

        // the console is public, but only the page: its data needs the key
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(page.body()).doesNotContain(tenant.toString());

        // an ingest held at its first write, while the operator watches
        TestUploads.stage(staging, JobsApiTest.smallestPhotos(10).get(8), tenant);
        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.pauseWritesTo(s3.buckets().published());
        Path marker = Files.createTempFile("console-", ".running");
        Files.delete(marker);
        long execution;
        CompletableFuture<String> browser;
        try {
            execution = operator.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"console-" + UUID.randomUUID() + "\"}}")
                    .body().get("id").asLong();
            pausable.awaitWriterHeld();
            // the metrics show the held instance's waiting item
            waitingItems.refresh();
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + adminKey()).build(), HttpResponse.BodyHandlers.ofString()).body();
            long instance = operator.get("/jobs/executions/" + execution).body().get("instanceId").asLong();
            // every series carries the process's worker name
            assertThat(scrape).contains("media_items_waiting{instance=\"" + instance + "\",job=\"mediaIngest\",worker=\""
                    + workers.metricsTag() + "\"} 1.0");
            Files.createDirectories(SCREENSHOT.getParent());
            Path node = NodeClients.project();
            browser = CompletableFuture.supplyAsync(() -> TestServices.run(List.of("node", node.resolve("console.mjs").toString(),
                    "http://127.0.0.1:" + port + "/console", key, Long.toString(execution), marker.toString(), SCREENSHOT.toString()), 300));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (!Files.exists(marker) && !browser.isDone() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
        } finally {
            pausable.resume();
        }
        String output = browser.get();
        JsonNode seen = JsonMapper.builder().build().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(seen.get("errors").toString()).as(output).isEqualTo("[]");
        assertThat(seen.get("statuses").toString()).as("the job seen running, then done").isEqualTo("[\"STARTED\",\"COMPLETED\"]");
        assertThat(seen.get("partitions").asInt()).as("its partitions, each with its progress").isPositive();
        assertThat(operator.get("/jobs/executions/" + execution).body().get("status").asString()).isEqualTo("COMPLETED");

        long requeued = seen.get("requeued").asLong();
        JsonNode requeue = operator.awaitEnd(requeued);
        assertThat(requeue.get("job").asString()).isEqualTo("requeueFailures");

        // every bar is a /usage row of this key, and every row a bar
        JsonNode days = operator.get("/usage").body().get("rows");
        Map<String, Long> bytes = new HashMap<>();
        Map<String, Long> requests = new HashMap<>();
        for (JsonNode row : days) {
            bytes.put(row.get("day").asString(), row.get("bytes").asLong());
            requests.put(row.get("day").asString(), row.get("requests").asLong());
        }
        assertThat(bytes.values()).as("the day's delivery").anyMatch(b -> b > 0);
        assertThat(nonZero(seen.get("charts").get("bytes"))).isEqualTo(nonZero(bytes));
        assertThat(nonZero(seen.get("charts").get("requests"))).isEqualTo(nonZero(requests));
        assertThat(seen.get("charts").get("bytes").size()).as("a bar for each of the 30 days").isEqualTo(30);
        Map<String, Long> storage = new HashMap<>();
        for (JsonNode row : operator.get("/usage?groupBy=format").body().get("rows")) {
            if (row.get("storageBytes").asLong() > 0) {
                storage.put(row.get("format").asString(), row.get("storageBytes").asLong());
            }
        }
        assertThat(storage).containsKey("original");
        assertThat(points(seen.get("charts").get("storage"))).isEqualTo(storage);
        assertThat(seen.get("schedules").toString()).contains("nightly-ingest", "usage-rollup");
        assertThat(seen.get("signedOutAfterReload").asBoolean()).as("the key is kept in that session only").isTrue();
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png.length).isGreaterThan(20_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    private static Map<String, Long> points(JsonNode chart) {
        Map<String, Long> points = new HashMap<>();
        for (JsonNode p : chart) {
            points.put(p.get("key").asString(), p.get("value").asLong());
        }
        return points;
    }

    private static Map<String, Long> nonZero(JsonNode chart) {
        return nonZero(points(chart));
    }

    private static Map<String, Long> nonZero(Map<String, Long> values) {
        Map<String, Long> out = new HashMap<>(values);
        out.values().removeIf(v -> v == 0);
        return out;
    }
}
