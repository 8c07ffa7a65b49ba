package dev.mediapipeline.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.error.TransientException;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Clients;
import dev.mediapipeline.core.storage.S3ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 adapter through {@link FaultyS3Proxy} in front of S3Proxy: requests pass signed and
 * whole, 503 SlowDown and a body cut half way surface as transient faults, a local write failure
 * stays the caller's, the store checks the sha256 a put carries, and a store without lifecycle
 * rules is no error.
 */
class FaultyS3ProxyTest {

    static final String BUCKET = "faulty-proxy-test";

    static EmbeddedS3Server s3;
    static FaultyS3Proxy proxy;
    static S3Client client;
    static S3ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3Server.startTransient();
        proxy = FaultyS3Proxy.start(s3.endpoint());
        client = S3Clients.create(proxy.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
        store = new S3ObjectStore(client);
        // S3Proxy answers the lifecycle requests 501: the bucket is made all the same
        store.ensureBucket(BUCKET, ObjectStore.BucketRole.STAGING);
    }

    @AfterAll
    static void stop() {
        client.close();
        proxy.close();
        s3.close();
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    @Test
    void requestsPassThroughSignedAndWhole(@TempDir Path dir) throws IOException {
        Path file = randomFile(dir, 300_000);
        store.put(BUCKET, "whole/a", file, "application/octet-stream");

        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        assertThat(store.copyTo(BUCKET, "whole/a", copy)).hasValue(300_000);
        assertThat(copy.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(store.copyTo(BUCKET, "whole/missing", copy)).isEmpty();
        assertThat(proxy.forwarded()).isPositive();
    }

    @Test
    void aSlowDownIsRetriedAndOneThatLastsIsTransient(@TempDir Path dir) throws IOException {
        Path file = randomFile(dir, 10_000);
        int before = proxy.slowDownsServed();
        proxy.slowDown(1, FaultyS3Proxy.matching("PUT", "/" + BUCKET + "/slow/"));
        store.put(BUCKET, "slow/once", file, "application/octet-stream");
        assertThat(proxy.slowDownsServed() - before).as(proxy.served().toString()).isEqualTo(1);
        assertThat(store.head(BUCKET, "slow/once")).isPresent();

        proxy.slowDown(1000, FaultyS3Proxy.matching("PUT", "/" + BUCKET + "/slow/"));
        assertThatThrownBy(() -> store.put(BUCKET, "slow/always", file, "application/octet-stream"))
                .isInstanceOf(TransientException.class).hasRootCauseInstanceOf(S3Exception.class);
        assertThat(store.head(BUCKET, "slow/always")).isEmpty();
    }

    @Test
    void aBodyCutHalfWayIsTransientAndTheNextReadIsWhole(@TempDir Path dir) throws IOException {
        Path file = randomFile(dir, 200_000);
        store.put(BUCKET, "cut/a", file, "application/octet-stream");
        int before = proxy.cutsServed();
        proxy.cutNextGet(FaultyS3Proxy.matching("GET", "/" + BUCKET + "/cut/"), 50_000);

        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        assertThatThrownBy(() -> store.copyTo(BUCKET, "cut/a", partial)).isInstanceOf(TransientException.class);
        assertThat(proxy.cutsServed() - before).as(proxy.served().toString()).isEqualTo(1);
        assertThat(partial.size()).isLessThan(200_000);

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        assertThat(store.copyTo(BUCKET, "cut/a", whole)).hasValue(200_000);
        assertThat(whole.toByteArray()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aFailingDestinationStaysTheCallersIOException(@TempDir Path dir) throws IOException {
        store.put(BUCKET, "disk/a", randomFile(dir, 10_000), "application/octet-stream");
        OutputStream fullDisk = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        assertThatThrownBy(() -> store.copyTo(BUCKET, "disk/a", fullDisk))
                .isExactlyInstanceOf(IOException.class).hasMessage("No space left on device");
    }

    @Test
    void theStoreChecksTheSha256APutCarries(@TempDir Path dir) throws IOException {
        Path file = randomFile(dir, 50_000);
        Path other = randomFile(dir, 50_000);
        var options = new ObjectStore.PutOptions("image/jpeg", null, null, Sha256.ofFile(file));

        assertThat(store.putIfAbsent(BUCKET, "sha/right", file, options)).isTrue();
        assertThat(store.head(BUCKET, "sha/right")).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(50_000));

        assertThatThrownBy(() -> store.putIfAbsent(BUCKET, "sha/wrong", other, options))
                .isInstanceOf(TransientException.class)
                .rootCause().isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                });
        assertThat(store.head(BUCKET, "sha/wrong")).isEmpty();
    }

    private static Path randomFile(Path dir, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size * 31L + System.nanoTime()).nextBytes(bytes);
        return Files.write(Files.createTempFile(dir, "object-", ".bin"), bytes);
    }
}
