package dev.mediapipeline.processors.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.storage.S3Clients;
import dev.mediapipeline.core.storage.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Chunks are read back from S3Proxy over HTTP and verified one by one. */
class AssembleProcessorTest {

    static EmbeddedS3Server server;
    static S3Client client;
    static S3ObjectStore store;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.startTransient();
        client = S3Clients.create(server.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
        store = new S3ObjectStore(client);
        store.ensureBucket("staging");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void chunksJoinIntoTheFileWithItsSha256() throws Exception {
        byte[] content = random(250_000);
        StagedUpload upload = stage(content, 100_000, Map.of());
        AssembledFile file = processor().process(upload);
        assertThat(Files.readAllBytes(file.file())).isEqualTo(content);
        assertThat(file.size()).isEqualTo(250_000);
        assertThat(file.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    }

    @Test
    void aChunkChangedInStorageIsRejectedAndNoTempFileStays() throws Exception {
        StagedUpload upload = stage(random(30_000), 10_000, Map.of());
        Path other = Files.write(temp.resolve("other"), random(10_000));
        store.put("staging", upload.chunks().get(1).objectKey(), other, "application/octet-stream");

        RejectedException e = catchThrowableOfType(RejectedException.class, () -> processor().process(upload));
        assertThat(e.reason()).isEqualTo("checksum-mismatch");
        assertThat(e.getMessage()).contains("chunk at 10000");
        try (var left = Files.list(temp.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingChunkIsRejected() throws Exception {
        StagedUpload upload = stage(random(20_000), 10_000, Map.of());
        store.delete("staging", upload.chunks().getFirst().objectKey());
        assertThat(catchThrowableOfType(RejectedException.class, () -> processor().process(upload)).reason()).isEqualTo("chunk-missing");
    }

    @Test
    void theClientsWholeFileChecksumIsVerifiedWhenGiven() throws Exception {
        byte[] content = random(5_000);
        String right = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(processor().process(stage(content, 5_000, Map.of("sha256", right))).sha256()).isEqualTo(right);
        assertThat(catchThrowableOfType(RejectedException.class,
                () -> processor().process(stage(content, 5_000, Map.of("sha256", "ab".repeat(32))))).reason())
                .isEqualTo("checksum-mismatch");
    }

    private AssembleProcessor processor() {
        return new AssembleProcessor(store, "staging", temp.resolve("work"));
    }

    private StagedUpload stage(byte[] content, int chunkSize, Map<String, String> metadata) throws Exception {
        UUID id = UUID.randomUUID();
        List<UploadChunk> chunks = new ArrayList<>();
        for (int offset = 0; offset < content.length; offset += chunkSize) {
            byte[] part = java.util.Arrays.copyOfRange(content, offset, Math.min(content.length, offset + chunkSize));
            String key = "uploads/" + id + "/" + offset;
            store.put("staging", key, Files.write(temp.resolve("part-" + offset), part), "application/octet-stream");
            chunks.add(new UploadChunk(id, offset, part.length, MessageDigest.getInstance("SHA-256").digest(part), key));
        }
        return new StagedUpload(id, dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, content.length, metadata, chunks);
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random().nextBytes(bytes);
        return bytes;
    }
}
