package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A batch download: a ZIP by multipart upload, stopped after its first part and restarted. */
class DownloadJobTest extends AppTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    dev.mediapipeline.app.security.UrlSigning signing;

    @Test
    void aZipStoppedMidwayContinuesAfterItsLastPartAndOpensWithEveryMembersBytes(@TempDir Path dir) throws Exception {
        List<Path> largest;
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            largest = files.sorted(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed()).limit(3).toList();
        }
        List<UUID> assets = largest.stream().map(f -> TestUploads.stage(staging, f).id()).toList();
        JsonNode ingest = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"download-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingest.get("status").asString()).isEqualTo("COMPLETED");
        String ids = assets.stream().map(id -> "\"" + id + "\"").reduce((a, b) -> a + ", " + b).orElseThrow();

        assertThat(http.post("/downloads", "{\"renditions\": \"original\"}").status()).isEqualTo(400);
        Reply badRendition = http.post("/downloads", "{\"assetIds\": [" + ids + "], \"renditions\": \"original,gif/12\"}");
        assertThat(badRendition.status()).isEqualTo(400);
        assertThat(badRendition.body().get("detail").asString()).contains("gif/12");
        assertThat(http.get("/downloads/" + UUID.randomUUID()).status()).isEqualTo(404);

        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.pauseWritesTo(s3.buckets().published());
        UUID download;
        long first;
        try {
            Reply requested = http.post("/downloads", "{\"assetIds\": [" + ids + "], \"renditions\": \"original,webp/320\"}");
            assertThat(requested.status()).isEqualTo(202);
            download = UUID.fromString(requested.body().get("id").asString());
            assertThat(requested.location()).isEqualTo("/downloads/" + download);
            pausable.awaitWriterHeld(); // the first part's upload
            first = http.get("/downloads/" + download).body().get("jobExecutionId").asLong();
            assertThat(http.get("/downloads/" + download + "/link").status()).as("no link before it is complete").isEqualTo(409);
            assertThat(http.post("/jobs/executions/" + first + "/stop", null).status()).isEqualTo(202);
        } finally {
            pausable.resume();
        }
        assertThat(http.awaitEnd(first).get("status").asString()).isEqualTo("STOPPED");
        long partsAtStop = count("select count(*) from download_part where download_id = ?", download);
        assertThat(partsAtStop).as("the part in flight was finished and recorded").isEqualTo(1);
        assertThat(http.get("/downloads/" + download).body().get("state").asString()).isEqualTo("WRITING");

        JsonNode done = http.awaitEnd(http.post("/jobs/executions/" + first + "/restart", null).body().get("id").asLong());
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        List<Integer> parts = jdbc.sql("select part_number from download_part where download_id = ? order by part_number")
                .param(download).query(Integer.class).list();
        assertThat(parts).as("parts 1..n, none twice").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i)).isEqualTo(i + 1);
        }
        long partsBySecond = done.get("steps").valueStream().filter(s -> s.get("name").asString().equals("writeParts"))
                .mapToLong(s -> s.get("written").asLong()).sum();
        assertThat(partsBySecond).as("the restart wrote only the parts after the last recorded one").isEqualTo(parts.size() - partsAtStop);

        JsonNode view = http.get("/downloads/" + download).body();
        assertThat(view.get("state").asString()).isEqualTo("COMPLETE");
        assertThat(view.get("entries").asInt()).isEqualTo(6);
        assertThat(Instant.parse(view.get("urlExpiresAt").asString())).isAfter(Instant.now().plus(Duration.ofHours(23)));
        String url = view.get("url").asString();
        assertThat(url).startsWith("/downloads/" + download + "/archive?exp=");
        assertThat(http.get("/downloads/" + download).body().get("url").asString()).as("the same link every time").isEqualTo(url);
        Instant expires = Instant.parse(view.get("urlExpiresAt").asString());
        assertThat(url).contains("exp=" + expires.getEpochSecond() + "&");
        Reply link = http.get("/downloads/" + download + "/link");
        assertThat(link.status()).isEqualTo(303);
        assertThat(link.location()).isEqualTo(url);

        // fetched by its signed link with no key, as a browser would; resumable by Range; nothing else opens it
        Path zip = dir.resolve("download.zip");
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<Path> fetched = client.send(HttpRequest.newBuilder(URI.create(base + url)).build(), HttpResponse.BodyHandlers.ofFile(zip));
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.headers().firstValue("Content-Disposition").orElse("")).contains("media-" + download + ".zip");
        assertThat(Files.size(zip)).isEqualTo(view.get("size").asLong());
        HttpResponse<byte[]> tail = client.send(HttpRequest.newBuilder(URI.create(base + url)).header("Range", "bytes=-22").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).as("the end of central directory, resumed").isEqualTo(java.util.Arrays.copyOfRange(Files.readAllBytes(zip),
                (int) Files.size(zip) - 22, (int) Files.size(zip)));
        String archivePath = url.substring(0, url.indexOf('?'));
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + archivePath)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("unsigned, no key").isEqualTo(403);
        String sig = url.substring(url.indexOf("&sig=") + 5);
        String tampered = url.substring(0, url.indexOf("&sig=") + 5) + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + tampered)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("tampered").isEqualTo(403);
        String expired = signing.signed(archivePath, Instant.now().minusSeconds(1));
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + expired)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("expired").isEqualTo(403);
        // once its time has passed (here: completed long ago), the download gives no link and says so
        jdbc.sql("update download set completed_at = completed_at - interval '2 days' where id = ?").param(download).update();
        assertThat(http.get("/downloads/" + download).body().get("url").isNull()).isTrue();
        assertThat(http.get("/downloads/" + download + "/link").status()).isEqualTo(410);
        jdbc.sql("update download set completed_at = completed_at + interval '2 days' where id = ?").param(download).update();

        Process unzip = new ProcessBuilder("unzip", "-t", zip.toString()).redirectErrorStream(true).start();
        String output = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unzip.waitFor()).as(output).isZero();
        assertThat(output).contains("No errors detected");

        List<Map<String, Object>> entries = jdbc.sql("select name, bucket, object_key, sha256 from download_entry where download_id = ? order by ordinal")
                .param(download).query().listOfRows();
        List<String> names = new ArrayList<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            archive.stream().map(ZipEntry::getName).forEach(names::add);
            for (Map<String, Object> entry : entries) {
                ZipEntry member = archive.getEntry((String) entry.get("name"));
                assertThat(member).as((String) entry.get("name")).isNotNull();
                String inZip;
                try (InputStream in = archive.getInputStream(member)) {
                    inZip = Sha256.hex(Sha256.newDigest().digest(in.readAllBytes()));
                }
                String stored;
                try (InputStream in = store.get((String) entry.get("bucket"), (String) entry.get("object_key")).orElseThrow()) {
                    stored = Sha256.hex(Sha256.newDigest().digest(in.readAllBytes()));
                }
                assertThat(inZip).as("member " + entry.get("name") + " is the stored object").isEqualTo(stored).isEqualTo(entry.get("sha256"));
            }
        }
        assertThat(names).hasSize(6).doesNotHaveDuplicates().allMatch(n -> n.endsWith("/original.jpg") || n.endsWith("/320.webp"));
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }


    @Test
    void aDownloadWhoseJobFailsSaysSoAndARestartFinishesIt() throws Exception {
        UUID asset = TestUploads.stage(staging, JobsApiTest.smallestPhotos(1).getFirst()).id();
        JsonNode ingest = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"download-fails-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingest.get("status").asString()).isEqualTo("COMPLETED");

        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.failWritesTo(s3.buckets().published());
        String location;
        long execution;
        try {
            Reply requested = http.post("/downloads", "{\"assetIds\": [\"" + asset + "\"], \"renditions\": \"original\"}");
            assertThat(requested.status()).isEqualTo(202);
            location = requested.location();
            JsonNode view = http.get(location).body();
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            while (!view.get("state").asString().equals("FAILED") && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                view = http.get(location).body();
            }
            assertThat(view.get("state").asString()).as("the client is told, instead of polling for ever: " + view).isEqualTo("FAILED");
            assertThat(view.get("jobStatus").asString()).isEqualTo("FAILED");
            assertThat(view.get("url").isNull()).isTrue();
            execution = view.get("jobExecutionId").asLong();
        } finally {
            pausable.resume();
        }
        Reply restarted = http.post("/jobs/executions/" + execution + "/restart", null);
        assertThat(restarted.status()).isEqualTo(202);
        assertThat(http.awaitEnd(restarted.body().get("id").asLong()).get("status").asString()).isEqualTo("COMPLETED");
        JsonNode done = http.get(location).body();
        assertThat(done.get("state").asString()).isEqualTo("COMPLETE");
        assertThat(done.get("url").asString()).startsWith("/downloads/");
    }

    @Test
    void aDownloadOverItsLimitIsRefusedWithItsReasonBeforeAnythingIsWritten() throws Exception {
        List<UUID> assets = JobsApiTest.smallestPhotos(8).stream().map(f -> TestUploads.stage(staging, f).id()).toList();
        JsonNode ingest = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"download-limit-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingest.get("status").asString()).isEqualTo("COMPLETED");

        // more ids than one download may hold (media.downloads.max-entries is 20 in the tests): refused at once
        String tooMany = java.util.stream.IntStream.range(0, 21).mapToObj(i -> "\"" + UUID.randomUUID() + "\"")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        Reply refusedAtOnce = http.post("/downloads", "{\"assetIds\": [" + tooMany + "], \"renditions\": \"original\"}");
        assertThat(refusedAtOnce.status()).isEqualTo(400);
        assertThat(refusedAtOnce.body().get("detail").asString()).contains("at most 20 asset ids");

        // 8 assets, 3 files each: over the limit, found when it is frozen (at most 21 members are)
        String ids = assets.stream().map(id -> "\"" + id + "\"").reduce((a, b) -> a + ", " + b).orElseThrow();
        Reply requested = http.post("/downloads", "{\"assetIds\": [" + ids + "], \"renditions\": \"original,jpeg,webp\"}");
        assertThat(requested.status()).isEqualTo(202);
        JsonNode view = http.get(requested.location()).body();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        while (!(view.get("state").asString().equals("FAILED") && "COMPLETED".equals(view.get("jobStatus").asString()))
                && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            view = http.get(requested.location()).body();
        }
        assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("FAILED");
        assertThat(view.get("failure").asString()).contains("more than 20 files").contains("over the limit of 20 files");
        assertThat(view.get("jobStatus").asString()).as("the job did its work: it refused").isEqualTo("COMPLETED");
        assertThat(view.get("url").isNull()).isTrue();
        UUID download = UUID.fromString(view.get("id").asString());
        var row = jdbc.sql("select bucket, object_key, upload_id from download where id = ?").param(download).query().singleRow();
        assertThat(row.get("upload_id")).as("no multipart upload was started").isNull();
        assertThat(store.head((String) row.get("bucket"), (String) row.get("object_key"))).as("no archive was written").isEmpty();
        assertThat(jdbc.sql("select count(*) from download_entry where download_id = ?").param(download).query(Long.class).single())
                .as("nothing frozen is left behind").isZero();
    }
}
