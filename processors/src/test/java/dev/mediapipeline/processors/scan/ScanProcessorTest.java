package dev.mediapipeline.processors.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.scan.ClamdProperties;
import dev.mediapipeline.core.scan.ClamdScanner;
import dev.mediapipeline.core.scan.InfectedException;
import dev.mediapipeline.core.scan.ScannerUnavailableException;
import dev.mediapipeline.core.storage.S3Clients;
import dev.mediapipeline.core.storage.S3ObjectStore;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestServices;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.s3.S3Client;

/** Real clamd with the project's signatures, quarantine in S3Proxy over HTTP. */
class ScanProcessorTest {

    static final byte[] EICAR = TestSamples.EICAR;

    static EmbeddedS3Server server;
    static S3Client client;
    static S3ObjectStore store;
    static ScanProcessor scan;

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.startTransient();
        client = S3Clients.create(server.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
        store = new S3ObjectStore(client);
        store.ensureBucket("quarantine");
        scan = new ScanProcessor(new ClamdScanner(clamd(TestServices.clamdPort())), store, "quarantine");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void aCleanPhotoPassesWithTheEngineVersion() throws Exception {
        Path photo;
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            photo = files.sorted().findFirst().orElseThrow();
        }
        ScannedFile scanned = scan.process(assembled(photo));
        assertThat(scanned.scanEngine()).startsWith("ClamAV 1.");
    }

    @Test
    void eicarIsQuarantinedWithItsSignature(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("invoice.jpg"), EICAR);
        AssembledFile assembled = assembled(file);
        InfectedException e = catchThrowableOfType(InfectedException.class, () -> scan.process(assembled));
        assertThat(e.reason()).isEqualTo("infected");
        assertThat(e.signature()).startsWith("MediaPipeline.Test.EICAR");
        assertThat(e.quarantineKey()).isEqualTo("quarantine/" + assembled.sha256());
        try (InputStream in = store.get("quarantine", e.quarantineKey()).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(EICAR);
        }
    }

    @Test
    void clamdDownIsATransientFailureAndNothingPasses(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ScanProcessor down = new ScanProcessor(new ClamdScanner(clamd(closed)), store, "quarantine");
        Path file = Files.write(dir.resolve("photo.jpg"), new byte[] {1, 2, 3});
        assertThat(catchThrowableOfType(ScannerUnavailableException.class, () -> down.process(assembled(file)))).isNotNull();
    }

    private static ClamdProperties clamd(int port) {
        return new ClamdProperties("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(30), DataSize.ofKilobytes(64));
    }

    private static AssembledFile assembled(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        return new AssembledFile(new StagedUpload(UUID.randomUUID(), dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, bytes.length, Map.of(), List.of()), file, bytes.length, sha);
    }
}
