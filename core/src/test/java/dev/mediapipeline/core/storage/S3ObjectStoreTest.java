package dev.mediapipeline.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapter against S3Proxy over HTTP, through the real SDK. */
class S3ObjectStoreTest {

    static EmbeddedS3Server server;
    static S3Client client;
    static S3ObjectStore store;

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.startTransient();
        client = S3Clients.create(server.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
        store = new S3ObjectStore(client);
        store.ensureBucket("test-bucket");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void ensureBucketTwiceIsFine() {
        store.ensureBucket("test-bucket");
        assertThat(store.list("test-bucket", "nothing-here/")).isEmpty();
    }

    @Test
    void deleteAllRemovesExactlyTheKeysGivenAThousandToARequest(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x"), "x");
        java.util.List<String> gone = new java.util.ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            String key = "many/" + String.format("%04d", i);
            store.put("test-bucket", key, file, "text/plain");
            if (i % 2 == 0 || i >= 1000) {
                gone.add(key);
            }
        }
        gone.add("many/never-there");
        store.deleteAll("test-bucket", gone);
        java.util.List<String> left = store.list("test-bucket", "many/");
        assertThat(left).hasSize(500).allSatisfy(key -> assertThat(Integer.parseInt(key.substring(5)) % 2).isOne());
        // S3Proxy sets no lifecycle rule: the clean-up must list each upload's prefix there
        assertThat(store.expiresStagedChunks("test-bucket")).isFalse();
    }

    @Test
    void putThenReadBackTheSameBytes(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "hello, object store");
        store.put("test-bucket", "roundtrip/a.txt", file, "text/plain");

        assertThat(store.head("test-bucket", "roundtrip/a.txt"))
                .hasValueSatisfying(info -> {
                    assertThat(info.size()).isEqualTo(19);
                    assertThat(info.contentType()).isEqualTo("text/plain");
                });
        try (InputStream in = store.get("test-bucket", "roundtrip/a.txt").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, object store");
        }
    }

    @Test
    void putIfAbsentStoresOnceThenAnswersAlreadyThere(@TempDir Path dir) throws IOException {
        putIfAbsentOnce(store, "test-bucket", dir);
    }

    @Test
    void putIfAbsentHoldsOnTheFilesystemBackendToo(@TempDir Path dir) throws IOException {
        try (EmbeddedS3Server disk = EmbeddedS3Server.startFilesystem(dir.resolve("s3"));
                S3Client diskClient = S3Clients.create(disk.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY,
                        EmbeddedS3Server.SECRET_KEY)) {
            S3ObjectStore diskStore = new S3ObjectStore(diskClient);
            diskStore.ensureBucket("disk-bucket");
            putIfAbsentOnce(diskStore, "disk-bucket", dir);
        }
    }

    private static void putIfAbsentOnce(S3ObjectStore target, String bucket, Path dir) throws IOException {
        Path first = Files.writeString(dir.resolve("first"), "first bytes");
        Path second = Files.writeString(dir.resolve("second"), "other bytes");
        var options = new ObjectStore.PutOptions("image/jpeg", "public, max-age=31536000, immutable", null);
        assertThat(target.putIfAbsent(bucket, "cas/abc", first, options)).isTrue();
        assertThat(target.putIfAbsent(bucket, "cas/abc", second, options)).isFalse();
        try (InputStream in = target.get(bucket, "cas/abc").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first bytes");
        }
    }

    @Test
    void missingObjectsAreEmptyNotErrors() {
        assertThat(store.get("test-bucket", "no/such/key")).isEmpty();
        assertThat(store.head("test-bucket", "no/such/key")).isEmpty();
        store.delete("test-bucket", "no/such/key");
    }

    @Test
    void deletePrefixRemovesOnlyThatPrefix(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x"), "x");
        store.put("test-bucket", "p/1", file, "application/octet-stream");
        store.put("test-bucket", "p/2", file, "application/octet-stream");
        store.put("test-bucket", "q/1", file, "application/octet-stream");

        assertThat(store.list("test-bucket", "p/")).containsExactly("p/1", "p/2");
        assertThat(store.deletePrefix("test-bucket", "p/")).isEqualTo(2);
        assertThat(store.list("test-bucket", "p/")).isEmpty();
        assertThat(store.list("test-bucket", "q/")).containsExactly("q/1");
    }

    @Test
    void aMissingBucketIsAConfigurationErrorNotATransientOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x"), "x");
        assertThatThrownBy(() -> store.put("no-such-bucket", "k", file, "text/plain"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-bucket");
    }
}
