package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.PngBombs;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile uploads against the real job in a JVM of its own with a 256 MB heap: PNGs that inflate to
 * 1 GiB of metadata or claim 3.6 gigapixels, an APNG frame count of 2^31, a 199x250000 strip, MP4s
 * whose moov claims 2 GB, whose stsz claims 2^31 samples or whose timescale is 0, and a 100x16400
 * strip taller than WebP can hold, between real photos. Each bomb is refused with its reason, the
 * strip is published with JPEG renditions only, the photos are published and the job ends COMPLETED.
 */
@SpringBootTest(classes = IngestTestApplication.class, properties = {"media.ingest.grid-size=2",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestHostileInputTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        childJvmServices(registry, HOME);
    }


    @Test
    void bombsAreRefusedUnder256MBAndTheJobCompletes() throws Exception {
        Path dir = Files.createDirectories(HOME.resolve("hostile"));
        Map<UUID, String> expected = new LinkedHashMap<>();
        for (var bomb : PngBombs.all().entrySet()) {
            Path file = Files.write(dir.resolve(bomb.getKey()), bomb.getValue().bytes());
            expected.put(TestUploads.stage(staging, file).id(), bomb.getValue().reason());
        }
        var videos = dev.mediapipeline.core.testing.Mp4Bombs.from(TestServices.corpus().resolve("video/video__balle-jbart.mp4"));
        for (var bomb : videos.entrySet()) {
            Path file = Files.write(dir.resolve(bomb.getKey()), bomb.getValue().bytes());
            expected.put(TestUploads.stage(staging, file).id(), bomb.getValue().reason());
        }
        UUID tall = TestUploads.stage(staging, Files.write(dir.resolve("tall.png"), PngBombs.tallerThanWebp())).id();
        List<UUID> photos;
        try (Stream<Path> files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            photos = files.sorted().limit(3).map(photo -> TestUploads.stage(staging, photo).id()).toList();
        }

        Process child = ChildJvm.start(HOME, List.of("-Xmx256m"), "--media.ingest.grid-size=2");
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly();
        }
        String log = ChildJvm.log(HOME);
        assertThat(ended).as("the job ended within 5 minutes:\n" + log).isTrue();
        assertThat(log).doesNotContain("OutOfMemoryError");

        JobExecution execution = jobRepository.getLastJobExecution(jobRepository.getLastJobInstance(IngestJobConfiguration.JOB));
        assertThat(execution.getStatus()).as(log).isEqualTo(BatchStatus.COMPLETED);
        for (var item : expected.entrySet()) {
            assertThat(reason(item.getKey())).as(item.getValue()).isEqualTo(item.getValue());
        }
        assertThat(reason(tall)).as("a strip taller than WebP can hold is published, its renditions JPEG only").isEqualTo("(no rejection)");
        assertThat(jdbc.sql("select format from rendition where asset_id = ?").param(tall).query(String.class).list()).containsOnly("jpeg");
        assertThat(jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state = 'PUBLISHED'")
                .param(photos.toArray(UUID[]::new)).query(Long.class).single()).as("the photos among them are published").isEqualTo(3);
    }

    private String reason(UUID upload) {
        return jdbc.sql("select reason from ingest_rejection where upload_id = ? order by job_execution_id desc limit 1").param(upload)
                .query(String.class).optional().orElse("(no rejection)");
    }
}
