package dev.mediapipeline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.staging.UploadStatus;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code media ingest FOLDER} stages real photos through the same path as a tus client. */
class IngestCommandTest extends AppTestBase {

    @Autowired
    IngestCommand command;

    @Test
    void everyFileOfTheFolderIsStagedComplete(@TempDir Path folder) throws IOException {
        List<Path> photos;
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            photos = files.sorted().limit(3).toList();
        }
        Files.createDirectories(folder.resolve("album"));
        for (Path photo : photos) {
            Files.copy(photo, folder.resolve("album").resolve(photo.getFileName()));
        }
        Files.writeString(folder.resolve(".DS_Store"), "hidden");

        assertThat(command.stage(folder)).isZero();

        for (Path photo : photos) {
            String relative = "album/" + photo.getFileName();
            UUID id = findByRelativePath(relative);
            assertThat(staging.current(id).status()).isEqualTo(UploadStatus.COMPLETE);
            List<UploadChunk> chunks = staging.chunks(id);
            assertThat(chunks).as("staged in 64 KB chunks").hasSize((int) Math.ceilDiv(Files.size(photo), 64 * 1024));
            assertThat(staged(chunks)).isEqualTo(Files.readAllBytes(photo));
        }
        assertThat(findAllRelativePaths()).doesNotContain(".DS_Store");
    }

    @Test
    void aMissingFolderIsAUsageError(@TempDir Path dir) {
        assertThat(command.run(dir.resolve("nope"))).isEqualTo(2);
    }

    @Test
    void ingestStagesThenPublishesAndQuarantines(@TempDir Path folder) throws IOException {
        List<Path> photos;
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            photos = files.sorted().skip(3).limit(2).toList();
        }
        for (Path photo : photos) {
            Files.copy(photo, folder.resolve("cli-" + photo.getFileName()));
        }
        Files.write(folder.resolve("cli-invoice.pdf"), TestSamples.EICAR);
        long infectedBefore = jdbc.sql("select count(*) from ingest_rejection where reason = 'infected'").query(Long.class).single();

        assertThat(command.run(folder)).isZero();

        for (Path photo : photos) {
            long renditions = jdbc.sql("""
                    select count(*) from asset a join rendition r on r.asset_id = a.id and r.version = a.current_version
                    where a.original_filename = ?""").param("cli-" + photo.getFileName()).query(Long.class).single();
            int width = javax.imageio.ImageIO.read(photo.toFile()).getWidth();
            long widths = Math.max(1, java.util.stream.IntStream.of(320, 640, 1280, 2048).filter(w -> w <= width).count());
            assertThat(renditions).as(photo.toString()).isEqualTo(2 * widths); // each width in JPEG and WebP
        }
        assertThat(jdbc.sql("select count(*) from ingest_rejection where reason = 'infected'").query(Long.class).single())
                .isEqualTo(infectedBefore + 1);
    }

    private UUID findByRelativePath(String relative) {
        return jdbc.sql("select id, metadata from upload").query((rs, n) -> {
            String metadata = rs.getString("metadata");
            return metadata != null && relative.equals(UploadMetadata.parse(metadata).get("relativePath"))
                    ? rs.getObject("id", UUID.class) : null;
        }).list().stream().filter(java.util.Objects::nonNull).findFirst().orElseThrow();
    }

    private List<String> findAllRelativePaths() {
        return jdbc.sql("select metadata from upload where metadata is not null").query(String.class).list().stream()
                .map(m -> UploadMetadata.parse(m).getOrDefault("relativePath", "")).toList();
    }

    private byte[] staged(List<UploadChunk> chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (UploadChunk chunk : chunks) {
            try (InputStream in = store.get(s3.buckets().staging(), chunk.objectKey()).orElseThrow()) {
                in.transferTo(out);
            }
        }
        return out.toByteArray();
    }
}
