package dev.mediapipeline.writers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.ImageFormat;
import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.ValidatedImage;
import dev.mediapipeline.core.storage.ContentAddress;
import dev.mediapipeline.core.storage.S3Clients;
import dev.mediapipeline.core.storage.S3ObjectStore;
import dev.mediapipeline.core.testing.TestDatabase;
import dev.mediapipeline.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Both publishing writers against S3Proxy over HTTP and real PostgreSQL migrated from sql/. */
class PublishWritersTest {

    static EmbeddedS3Server server;
    static S3Client client;
    static S3ObjectStore store;
    static JdbcClient jdbc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.startTransient();
        client = S3Clients.create(server.endpoint(), "us-east-1", true, EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
        store = new S3ObjectStore(client);
        store.ensureBucket("published");
        jdbc = JdbcClient.create(TestDatabase.dataSource());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void anImageIsPublishedOnceHoweverOftenItIsWritten() throws Exception {
        RenderedImage image = rendered(corpusPhoto(), randomFile("r320.jpg"), randomFile("r320.webp"));
        ContentAddressedObjectWriter objects = new ContentAddressedObjectWriter(store, "published", null, jdbc);
        AssetMetadataWriter rows = new AssetMetadataWriter(jdbc, "published", 42L);

        for (int attempt = 0; attempt < 3; attempt++) { // a restart, then a scan-mode rewrite
            objects.write(Chunk.of(image));
            rows.write(Chunk.of(image));
        }

        UUID asset = image.image().file().upload().uploadId();
        String originalKey = ContentAddress.original(image.image().file().sha256());
        assertThat(store.head("published", originalKey)).hasValueSatisfying(o -> assertThat(o.contentType()).isEqualTo("image/jpeg"));
        for (RenditionFile r : image.renditions()) {
            var head = client.headObject(b -> b.bucket("published").key(ContentAddress.rendition(r.sha256(), r.format())));
            assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
            assertThat(head.contentLength()).isEqualTo(r.size());
        }
        assertThat(count("asset where id = ?", asset)).isEqualTo(1);
        assertThat(count("asset_version where asset_id = ?", asset)).isEqualTo(1);
        assertThat(count("rendition where asset_id = ?", asset)).isEqualTo(2);
        assertThat(jdbc.sql("select current_version from asset where id = ?").param(asset).query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select job_execution_id from asset_version where asset_id = ?").param(asset).query(Long.class).single())
                .isEqualTo(42L);
        assertThat(refCount(image.image().file().sha256())).isEqualTo(1);
        for (RenditionFile r : image.renditions()) {
            assertThat(refCount(r.sha256())).as("counted once, not once per write").isEqualTo(1);
        }
    }

    @Test
    void theSameBytesInTwoAssetsAreOneFileReferencedTwice() throws Exception {
        Path shared = randomFile("shared.webp");
        RenderedImage first = rendered(corpusPhoto(), shared);
        RenderedImage second = rendered(corpusPhoto(), shared);
        AssetMetadataWriter rows = new AssetMetadataWriter(jdbc, "published", 7L);
        new ContentAddressedObjectWriter(store, "published", null, jdbc).write(Chunk.of(first, second));
        rows.write(Chunk.of(first, second));

        String sha = first.renditions().getFirst().sha256();
        assertThat(count("file_ref where sha256 = ?", sha)).isEqualTo(1);
        assertThat(refCount(sha)).isEqualTo(2);
        assertThat(store.list("published", "renditions/" + sha.substring(0, 2) + "/" + sha)).hasSize(1);
    }

    // --- helpers

    private long count(String fromWhere, Object param) {
        return jdbc.sql("select count(*) from " + fromWhere).param(param).query(Long.class).single();
    }

    private int refCount(String sha256) {
        return jdbc.sql("select ref_count from file_ref where sha256 = ?").param(sha256).query(Integer.class).single();
    }

    private static Path corpusPhoto() throws Exception {
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            return files.sorted().findFirst().orElseThrow();
        }
    }

    private Path randomFile(String name) throws Exception {
        byte[] bytes = new byte[2048];
        new Random().nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static RenderedImage rendered(Path original, Path... renditions) throws Exception {
        StagedUpload upload = new StagedUpload(UUID.randomUUID(), dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, Files.size(original), Map.of("filename", "photo.jpg"), List.of());
        AssembledFile assembled = new AssembledFile(upload, original, Files.size(original), sha256(original));
        ValidatedImage image = new ValidatedImage(new ScannedFile(assembled, "ClamAV 1.4.6"), ImageFormat.JPEG, 800, 600, 1,
                Files.size(original));
        List<RenditionFile> files = new java.util.ArrayList<>();
        for (Path r : renditions) {
            String format = r.getFileName().toString().endsWith(".webp") ? "webp" : "jpeg";
            files.add(new RenditionFile(320, 240, format, "image/" + format, r, Files.size(r), sha256(r)));
        }
        var published = new dev.mediapipeline.core.media.PublishedOriginal(original, Files.size(original), assembled.sha256(), "image/jpeg");
        return new RenderedImage(image, published, 800, 600, false, files, "profilehash", "thumbnailator test");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
