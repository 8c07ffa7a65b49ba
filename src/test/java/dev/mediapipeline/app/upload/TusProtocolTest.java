package dev.mediapipeline.app.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.staging.StagingProperties;
import dev.mediapipeline.core.staging.StagingException;
import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.staging.UploadRepository;
import dev.mediapipeline.core.staging.UploadStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;

/**
 * tus 1.0 over real HTTP, with the bytes landing in S3Proxy and the offsets in PostgreSQL. Every
 * refused request is checked to leave no chunk object, no chunk row and no upload row behind.
 */
class TusProtocolTest extends AppTestBase {

    static final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    UploadRepository uploads;

    @Test
    void optionsAdvertisesVersionExtensionsAndLimits() throws Exception {
        HttpResponse<String> r = send(request("").method("OPTIONS", BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        assertThat(r.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
        assertThat(r.headers().firstValue("Tus-Extension").orElseThrow().split(","))
                .contains("creation", "creation-with-upload", "termination", "checksum", "expiration");
        assertThat(r.headers().firstValue("Tus-Checksum-Algorithm")).hasValue("sha256");
        assertThat(r.headers().firstValue("Tus-Max-Size")).hasValue(Long.toString(DataSize.ofMegabytes(64).toBytes()));
    }

    @Test
    void anUploadInTwoChunksIsStagedAndComplete() throws Exception {
        byte[] file = randomBytes(300_000);
        URI upload = create(file.length, "filename " + b64("photo.jpg"));

        HttpResponse<String> head = send(tus(upload).method("HEAD", BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(head.headers().firstValue("Upload-Length")).hasValue("300000");
        assertThat(head.headers().firstValue("Upload-Metadata")).hasValue("filename " + b64("photo.jpg"));
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(head.headers().firstValue("Upload-Expires")).isPresent();

        HttpResponse<String> first = patch(upload, 0, slice(file, 0, 100_000), true);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.headers().firstValue("Upload-Offset")).hasValue("100000");
        assertThat(status(upload)).isEqualTo(UploadStatus.IN_PROGRESS);

        HttpResponse<String> last = patch(upload, 100_000, slice(file, 100_000, 300_000), true);
        assertThat(last.statusCode()).isEqualTo(204);
        assertThat(last.headers().firstValue("Upload-Offset")).hasValue("300000");
        assertThat(last.headers().firstValue("Upload-Expires")).as("a complete upload does not expire").isEmpty();
        assertThat(status(upload)).isEqualTo(UploadStatus.COMPLETE);

        List<UploadChunk> chunks = uploads.chunks(id(upload));
        assertThat(chunks).extracting(UploadChunk::startOffset).containsExactly(0L, 100_000L);
        assertThat(stagedBytes(upload)).isEqualTo(file);
        assertThat(chunks.getFirst().sha256()).isEqualTo(sha256(slice(file, 0, 100_000)));
    }

    @Test
    void creationWithUploadStoresTheFirstChunk() throws Exception {
        byte[] body = randomBytes(5_000);
        HttpResponse<String> r = send(request("")
                .header("Upload-Length", "12000")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(sha256(body)))
                .POST(BodyPublishers.ofByteArray(body)));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Upload-Offset")).hasValue("5000");
        URI upload = URI.create(r.headers().firstValue("Location").orElseThrow());
        assertThat(stagedBytes(upload)).isEqualTo(body);
    }

    @Test
    void creationWithUploadAndABadChecksumLeavesNothing() throws Exception {
        long uploadsBefore = count("upload");
        HttpResponse<String> r = send(request("")
                .header("Upload-Length", "12000")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(sha256("other".getBytes())))
                .POST(BodyPublishers.ofByteArray(randomBytes(5_000))));
        assertThat(r.statusCode()).isEqualTo(460);
        assertThat(count("upload")).isEqualTo(uploadsBefore);
    }

    @Test
    void aChecksumMismatchAnswers460AndStoresNothing() throws Exception {
        URI upload = create(1000, null);
        byte[] body = randomBytes(1000);
        HttpResponse<String> r = send(tus(upload)
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(sha256(randomBytes(1000))))
                .method("PATCH", BodyPublishers.ofByteArray(body)));
        assertThat(r.statusCode()).isEqualTo(460);
        assertNothingStored(upload);
    }

    @Test
    void anUnsupportedChecksumAlgorithmIs400() throws Exception {
        URI upload = create(10, null);
        HttpResponse<String> r = send(tus(upload)
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", "md5 " + Base64.getEncoder().encodeToString(new byte[16]))
                .method("PATCH", BodyPublishers.ofByteArray(new byte[10])));
        assertThat(r.statusCode()).isEqualTo(400);
        assertNothingStored(upload);
    }

    @Test
    void aWrongOffsetAnswers409AndStoresNothing() throws Exception {
        byte[] file = randomBytes(2000);
        URI upload = create(file.length, null);
        assertThat(patch(upload, 0, slice(file, 0, 1000), true).statusCode()).isEqualTo(204);

        HttpResponse<String> replay = patch(upload, 0, slice(file, 0, 1000), true);
        assertThat(replay.statusCode()).isEqualTo(409);
        HttpResponse<String> ahead = patch(upload, 1500, slice(file, 1500, 2000), true);
        assertThat(ahead.statusCode()).isEqualTo(409);

        assertThat(uploads.chunks(id(upload))).hasSize(1);
        assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id(upload)))).hasSize(1);
        assertThat(offset(upload)).isEqualTo(1000);
    }

    @Test
    void aChunkUnderTheMinimumThatDoesNotFinishTheUploadIsRefused() throws Exception {
        URI upload = create(1999, null);
        HttpResponse<String> tiny = patch(upload, 0, randomBytes(999), true);
        assertThat(tiny.statusCode()).isEqualTo(400);
        assertThat(tiny.body()).contains("minimum chunk");
        assertNothingStored(upload);
        assertThat(patch(upload, 0, randomBytes(1000), true).statusCode()).as("the minimum").isEqualTo(204);
        assertThat(patch(upload, 1000, randomBytes(999), true).statusCode()).as("a small last chunk finishes the upload").isEqualTo(204);
        assertThat(status(upload)).isEqualTo(UploadStatus.COMPLETE);
    }

    @Test
    void moreBytesThanTheLengthAnswer413AndStoreNothing() throws Exception {
        URI upload = create(1000, null);
        // declared up front by Content-Length
        assertThat(patch(upload, 0, randomBytes(1001), false).statusCode()).isEqualTo(413);
        // discovered while streaming a chunked body
        HttpResponse<String> chunked = send(tus(upload)
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(randomBytes(5000)))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertNothingStored(upload);
    }

    @Test
    void anUploadOverTheMaximumSizeIs413AndNotCreated() throws Exception {
        long before = count("upload");
        HttpResponse<String> r = send(request("").header("Upload-Length", Long.toString(DataSize.ofMegabytes(64).toBytes() + 1))
                .POST(BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(count("upload")).isEqualTo(before);
    }

    @Test
    void malformedHeadersAre400AndCreateNothing() throws Exception {
        long before = count("upload");
        assertThat(send(request("").header("Upload-Length", "ten").POST(BodyPublishers.noBody())).statusCode()).isEqualTo(400);
        assertThat(send(request("").header("Upload-Length", "-1").POST(BodyPublishers.noBody())).statusCode()).isEqualTo(400);
        assertThat(send(request("").POST(BodyPublishers.noBody())).statusCode()).as("no Upload-Length").isEqualTo(400);
        assertThat(send(request("").header("Upload-Length", "10").header("Upload-Metadata", "filename not*base64!")
                .POST(BodyPublishers.noBody())).statusCode()).isEqualTo(400);
        assertThat(send(request("").header("Upload-Length", "10").header("Upload-Metadata", "a " + b64("x") + ",a " + b64("y"))
                .POST(BodyPublishers.noBody())).statusCode()).as("duplicate key").isEqualTo(400);
        assertThat(count("upload")).isEqualTo(before);

        URI upload = create(10, null);
        assertThat(send(tus(upload).header("Upload-Offset", "zero").header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(new byte[10]))).statusCode()).isEqualTo(400);
        assertThat(send(tus(upload).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(new byte[10]))).statusCode()).as("no Upload-Offset").isEqualTo(400);
        assertThat(send(tus(upload).header("Upload-Offset", "0").header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(new byte[10]))).statusCode()).isEqualTo(415);
        assertNothingStored(upload);
    }

    @Test
    void aMissingOrWrongTusVersionIs412() throws Exception {
        long before = count("upload");
        HttpResponse<String> r = send(HttpRequest.newBuilder(base()).header("Authorization", "Bearer " + adminKey()).header("Upload-Length", "10").POST(BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(412);
        assertThat(r.headers().firstValue("Tus-Version")).hasValue("1.0.0");
        HttpResponse<String> old = send(HttpRequest.newBuilder(base()).header("Authorization", "Bearer " + adminKey()).header("Tus-Resumable", "0.2.2")
                .header("Upload-Length", "10").POST(BodyPublishers.noBody()));
        assertThat(old.statusCode()).isEqualTo(412);
        assertThat(count("upload")).isEqualTo(before);
    }

    @Test
    void unknownUploadsAre404() throws Exception {
        URI unknown = base().resolve("uploads/" + UUID.randomUUID());
        assertThat(send(tus(unknown).method("HEAD", BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertThat(patch(unknown, 0, new byte[1], true).statusCode()).isEqualTo(404);
        assertThat(send(tus(unknown).DELETE()).statusCode()).isEqualTo(404);
        assertThat(send(tus(base().resolve("uploads/not-a-uuid")).method("HEAD", BodyPublishers.noBody())).statusCode()).isEqualTo(404);
    }

    @Test
    void terminationRemovesChunksAndRows() throws Exception {
        byte[] file = randomBytes(3000);
        URI upload = create(file.length, null);
        patch(upload, 0, slice(file, 0, 1000), true);
        patch(upload, 1000, slice(file, 1000, 2000), true);
        assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id(upload)))).hasSize(2);

        assertThat(send(tus(upload).DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(tus(upload).method("HEAD", BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id(upload)))).isEmpty();
        assertThat(jdbc.sql("select count(*) from upload_chunk where upload_id = ?").param(id(upload)).query(Long.class).single()).isZero();
    }

    @Test
    void aBodyThatWouldFillTheDiskIsRefusedBeforeItIsSpooled() throws Exception {
        // the same staging path on a server that must keep more free than this disk has
        long free = java.nio.file.Files.getFileStore(MEDIA_HOME).getUsableSpace();
        StagingService full = new StagingService(uploads, store, s3.buckets().staging(),
                new StagingProperties(DataSize.ofMegabytes(64), Duration.ofHours(24), Duration.ofMinutes(15), List.of(),
                        DataSize.ofBytes(1000), DataSize.ofBytes(free + DataSize.ofGigabytes(1).toBytes())),
                MEDIA_HOME.resolve("tmp"), java.time.Clock.systemUTC());
        URI upload = create(2000, null);
        byte[] body = randomBytes(2000);
        assertThatThrownBy(() -> full.append(id(upload), 0, new ByteArrayInputStream(body), body.length, null))
                .isInstanceOfSatisfying(StagingException.class,
                        e -> assertThat(e.problem()).isEqualTo(StagingException.Problem.INSUFFICIENT_STORAGE))
                .hasMessageContaining("min-free-space");
        assertNothingStored(upload);
        assertThat(patch(upload, 0, body, true).statusCode()).as("the server with room takes it").isEqualTo(204);
    }

    @Test
    void expiredUploadsAreGoneThenRemovedWithTheirChunks() throws Exception {
        byte[] file = randomBytes(2000);
        URI upload = create(file.length, null);
        patch(upload, 0, slice(file, 0, 1000), true);
        URI finished = create(10, null);
        patch(finished, 0, new byte[10], true);

        // the same staging path, seen from a day and an hour later
        StagingService later = new StagingService(uploads, store, s3.buckets().staging(),
                new StagingProperties(DataSize.ofMegabytes(64), Duration.ofHours(24), Duration.ofMinutes(15), List.of(),
                        DataSize.ofBytes(1000), DataSize.ofMegabytes(1)),
                MEDIA_HOME.resolve("tmp"), Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
        assertThat(later.removeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(send(tus(upload).method("HEAD", BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id(upload)))).isEmpty();
        assertThat(uploads.chunks(id(upload))).isEmpty();
        // a complete upload waits for ingestion; it never expires
        assertThat(offset(finished)).isEqualTo(10);
        assertThat(status(finished)).isEqualTo(UploadStatus.COMPLETE);
    }

    @Test
    void aBodyCutOffMidwayKeepsWhatArrivedSoTheClientResumesThere() throws Exception {
        URI upload = create(10_000, null);
        byte[] sent = randomBytes(4_000);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + adminKey() + "\r\n"
                    + "Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 10000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            Thread.sleep(300);
        } // the connection drops with 6000 bytes still owed
        long offset = awaitOffset(upload, 4_000);
        assertThat(offset).isEqualTo(4_000);
        assertThat(stagedBytes(upload)).isEqualTo(sent);
    }

    @Test
    void aBrowserOnAnAllowedOriginMayUploadAndReadTheTusHeaders() throws Exception {
        // a browser's preflight carries no key, and asks to send one in Authorization
        for (String path : List.of("/uploads", "/uploads/", "/uploads/" + UUID.randomUUID())) {
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", path.length() > 9 ? "PATCH" : "POST")
                    .header("Access-Control-Request-Headers", "authorization,tus-resumable,upload-length,upload-metadata")
                    .method("OPTIONS", BodyPublishers.noBody()));
            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("https://app.example");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                    .as("a wildcard does not cover Authorization: it must be named").contains("authorization");
        }

        HttpResponse<String> created = send(request("").header("Origin", "https://app.example")
                .header("Upload-Length", "10").POST(BodyPublishers.noBody()));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("Location", "Upload-Offset", "Tus-Resumable");

        HttpResponse<String> foreign = send(request("").header("Origin", "https://evil.example")
                .header("Upload-Length", "10").POST(BodyPublishers.noBody()));
        assertThat(foreign.statusCode()).isEqualTo(403);
    }

    // --- helpers

    private long awaitOffset(URI upload, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long offset = offset(upload);
        while (offset != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            offset = offset(upload);
        }
        return offset;
    }

    private void assertNothingStored(URI upload) {
        assertThat(offset(upload)).isZero();
        assertThat(uploads.chunks(id(upload))).isEmpty();
        assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id(upload)))).isEmpty();
    }

    private URI create(long length, String metadata) throws Exception {
        HttpRequest.Builder r = request("").header("Upload-Length", Long.toString(length));
        if (metadata != null) {
            r.header("Upload-Metadata", metadata);
        }
        HttpResponse<String> response = send(r.POST(BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    private HttpResponse<String> patch(URI upload, long offset, byte[] body, boolean withChecksum) throws Exception {
        HttpRequest.Builder r = tus(upload)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream");
        if (withChecksum) {
            r.header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(sha256(body)));
        }
        return send(r.method("PATCH", BodyPublishers.ofByteArray(body)));
    }

    private byte[] stagedBytes(URI upload) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (UploadChunk chunk : uploads.chunks(id(upload))) {
            try (InputStream in = store.get(s3.buckets().staging(), chunk.objectKey()).orElseThrow()) {
                in.transferTo(out);
            }
        }
        return out.toByteArray();
    }

    private long offset(URI upload) {
        return uploads.find(id(upload)).orElseThrow().offset();
    }

    private UploadStatus status(URI upload) {
        return uploads.find(id(upload)).orElseThrow().status();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private static UUID id(URI upload) {
        String path = upload.getPath();
        return UUID.fromString(path.substring(path.lastIndexOf('/') + 1));
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + port + "/uploads");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base() + path)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + adminKey());
    }

    private static HttpRequest.Builder tus(URI upload) {
        return HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + adminKey());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), BodyHandlers.ofString());
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
