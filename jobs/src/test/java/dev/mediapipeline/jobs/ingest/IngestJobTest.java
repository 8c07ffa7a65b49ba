package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole shared corpus through the upload path and the real job: every real photo published
 * with its renditions, every hostile file rejected with a reason (but the few that are valid
 * images), EICAR quarantined, the staging data of every finished item gone.
 */
// no retention of refused uploads here: every finished item's staging data goes at once
@SpringBootTest(classes = IngestTestApplication.class, properties = {"media.ingest.grid-size=2", "spring.batch.job.enabled=false",
        "media.ingest.rejected-retention=0s",
        // the clean-up in pages of 3 uploads, so that every ingest here takes several
        "media.ingest.clean-page=3",
        "spring.batch.jdbc.initialize-schema=never"})
class IngestJobTest extends IngestJobTestBase {

    /** Valid images kept among gdk-pixbuf's hostile data (see ValidateProcessorTest). */
    static final List<String> VALID_HOSTILE = List.of("gdk-pixbuf__bug143608-comment.jpg", "gdk-pixbuf__premature-end.png",
            "valid.1.gif", "valid.1.jpeg", "valid.1.png", "valid.2.jpeg");

    static final Path HOME = newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("media.home", HOME::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
    }


    private static final java.util.Set<String> PASSTHROUGH_VIDEOS = java.util.Set.of("images__realshort.mp4", "video__balle-jbart.mp4",
            "videos__birds.mp4");

    @Test
    void theCorpusIngestsEndToEnd() throws Exception {
        Map<UUID, Path> photos = new LinkedHashMap<>();
        Map<UUID, Path> hostile = new LinkedHashMap<>();
        Map<UUID, Path> videos = new LinkedHashMap<>();
        for (String folder : List.of("jpeg", "png", "png-alpha", "gif")) {
            stageAll(TestServices.corpus().resolve(folder), photos);
        }
        stageAll(TestServices.corpus().resolve("hostile"), hostile);
        stageAll(TestServices.corpus().resolve("video"), videos);
        assertThat(photos).hasSizeGreaterThan(45);
        assertThat(hostile).hasSizeGreaterThan(70);
        assertThat(videos).isNotEmpty();

        JobOperatorTestUtils launcher = new JobOperatorTestUtils(jobOperator, jobRepository);
        launcher.setJob(mediaIngest);
        JobExecution execution = launcher.startJob(new JobParametersBuilder().addString("run", UUID.randomUUID().toString())
                .toJobParameters());
        assertThat(execution.getStatus()).as(execution.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        long published = jdbc.sql("select count(*) from asset_version where job_execution_id = ?").param(execution.getId())
                .query(Long.class).single();
        long rejected = jdbc.sql("select count(*) from ingest_rejection where job_execution_id = ?").param(execution.getId())
                .query(Long.class).single();
        assertThat(published + rejected).as("every upload is accounted for").isEqualTo(photos.size() + hostile.size() + videos.size());

        for (var photo : photos.entrySet()) {
            assertThat(renditions(photo.getKey())).as(photo.getValue().toString()).isGreaterThanOrEqualTo(2);
        }
        for (var file : hostile.entrySet()) {
            String name = file.getValue().getFileName().toString();
            if (VALID_HOSTILE.contains(name)) {
                assertThat(renditions(file.getKey())).as(name).isGreaterThanOrEqualTo(2);
            } else {
                assertThat(rejection(file.getKey())).as(name + " is rejected with a reason").isNotNull();
                assertThat(renditions(file.getKey())).as(name).isZero();
            }
        }
        // with ffmpeg on the machine (./media test installs it) every corpus video becomes a stream: H.264/AAC MP4s as
        // they are, the rest (MPEG-2 in a program stream, H.264 4:4:4 with MP3) transcoded first
        for (var video : videos.entrySet()) {
            String name = video.getValue().getFileName().toString();
            String packaging = jdbc.sql("select packaging from video_stream where asset_id = ?").param(video.getKey())
                    .query(String.class).optional().orElse(null);
            assertThat(packaging).as(name + " is streamable").isNotNull()
                    .startsWith(PASSTHROUGH_VIDEOS.contains(name) ? "passthrough" : "transcoded");
            assertThat(renditions(video.getKey())).as(name + " has poster renditions").isGreaterThanOrEqualTo(2);
        }

        UUID eicar = hostile.entrySet().stream().filter(e -> e.getValue().getFileName().toString().equals("eicar.com"))
                .findFirst().orElseThrow().getKey();
        assertThat(rejection(eicar)).isEqualTo("infected");
        String quarantineKey = jdbc.sql("select quarantine_key from ingest_rejection where upload_id = ?").param(eicar)
                .query(String.class).single();
        assertThat(store.head(s3.buckets().quarantine(), quarantineKey)).isPresent();

        // every finished item's staging data is gone, and so is every local file
        for (UUID id : concat(photos, hostile, videos)) {
            assertThat(store.list(s3.buckets().staging(), Upload.chunkPrefix(id))).isEmpty();
            assertThat(staging.find(id)).isEmpty();
        }
        try (Stream<Path> left = Files.list(HOME.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    private List<UUID> concat(Map<UUID, Path>... maps) {
        return Stream.of(maps).flatMap(m -> m.keySet().stream()).toList();
    }

    private long renditions(UUID asset) {
        return jdbc.sql("select count(*) from rendition where asset_id = ?").param(asset).query(Long.class).single();
    }

    private String rejection(UUID upload) {
        return jdbc.sql("select reason from ingest_rejection where upload_id = ?").param(upload).query(String.class).optional()
                .orElse(null);
    }

    private void stageAll(Path folder, Map<UUID, Path> into) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                into.put(TestUploads.stage(staging, file).id(), file);
            }
        }
    }

    static Path newHome() {
        try {
            return Files.createTempDirectory(Files.createDirectories(TestServices.repoRoot().resolve("target")), "jobs-home-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
