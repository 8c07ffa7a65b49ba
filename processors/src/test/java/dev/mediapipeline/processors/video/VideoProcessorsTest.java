package dev.mediapipeline.processors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.ProbedVideo;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.core.testing.Ffmpeg;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.processors.TestItems;
import dev.mediapipeline.processors.render.ImageRenditionsProcessor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/** Probe, budgets, poster frame and packaging of real corpus videos, without ffmpeg to re-encode. */
class VideoProcessorsTest {

    @TempDir
    Path temp;

    private VideoProbeProcessor probe(VideoProfile profile) {
        return new VideoProbeProcessor(profile, null);
    }

    private VideoPackagingProcessor packaging() {
        return new VideoPackagingProcessor(VideoProfile.defaults(),
                new ImageRenditionsProcessor(new RenditionProfile(List.of(320, 640), RenditionProfile.Fit.CONTAIN, 1.0, 80, 80, 4), temp),
                temp);
    }

    @ParameterizedTest
    @CsvSource({"images__realshort.mp4, 320, 240, 36", "video__balle-jbart.mp4, 720, 576, 255", "videos__birds.mp4, 1280, 720, 31"})
    void packageableVideosAreProbedAndGetAPosterAndAStream(String name, int width, int height, long frames) throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve(name);
        ProbedVideo probed = probe(VideoProfile.defaults()).process(TestItems.scanned(source));
        assertThat(probed.probe().container()).isEqualTo("MP4");
        assertThat(probed.probe().video().codec()).startsWith("avc1.");
        assertThat(probed.probe().audio().codec()).isEqualTo("mp4a.40.2");
        assertThat(probed.probe().video().width()).isEqualTo(width);
        assertThat(probed.probe().video().height()).isEqualTo(height);
        assertThat(probed.probe().video().samples()).isEqualTo(frames).isEqualTo(Ffmpeg.headerFrames(source));
        assertThat(probed.probe().durationSeconds()).isCloseTo(Ffmpeg.streamDuration(source.toString(), "v"),
                org.assertj.core.data.Offset.offset(0.05));
        assertThat(probed.probe().keyframes()).isNotEmpty().first().isEqualTo(0.0);
        assertThat(probed.transcoded()).isNull();
        if (name.startsWith("video__balle")) { // PAL 720x576 with 16:15 pixels
            assertThat(probed.probe().displayWidth()).isEqualTo(768);
        }

        PackagedVideo packaged = packaging().process(probed);
        assertThat(packaged.packaging()).startsWith("passthrough");
        assertThat(packaged.renditions()).isNotEmpty();
        for (RenditionFile poster : packaged.renditions()) {
            BufferedImage decoded = ImageIO.read(poster.file().toFile());
            assertThat(decoded).as(poster.file().toString()).isNotNull();
            assertThat(poster.width()).isLessThanOrEqualTo(Math.max(width, 640));
            assertThat((double) poster.height() / poster.width()).as("square pixels")
                    .isCloseTo((double) probed.probe().displayHeight() / probed.probe().displayWidth(), org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(packaged.files().getLast().path()).isEqualTo(PackagedVideo.MASTER_PLAYLIST);
        assertThat(Ffmpeg.decodedFrames(packaged.files().getLast().file().toString(), "v")).isEqualTo(frames);
    }

    @Test
    void rotationIsReadAndThePosterIsUpright() throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("images__realshort.mp4");
        Path rotated = temp.resolve("rotated.mp4");
        var run = Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-i", source.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90",
                rotated.toString());
        assertThat(run.exit()).as(run.err()).isZero();

        // ffprobe reports the display matrix counter-clockwise; the probe gives the clockwise turn a player makes
        var ffprobe = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation",
                "-of", "csv=p=0", rotated.toString());
        int counterClockwise = Integer.parseInt(ffprobe.out().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow().trim());
        ProbedVideo probed = probe(VideoProfile.defaults()).process(TestItems.scanned(rotated));
        assertThat(probed.probe().rotation()).isEqualTo(Math.floorMod(-counterClockwise, 360)).isIn(90, 270);
        assertThat(probed.probe().displayWidth()).isEqualTo(240);
        assertThat(probed.probe().displayHeight()).isEqualTo(320);
        PackagedVideo packaged = packaging().process(probed);
        RenditionFile poster = packaged.renditions().getFirst();
        assertThat(poster.height()).as("portrait once turned").isGreaterThan(poster.width());
        assertThat(Files.readString(packaged.files().getLast().file())).contains("RESOLUTION=240x320");
    }

    @Test
    void aLadderAskedForWithoutFfmpegIsOneRenditionAndTheMetadataSaysSo() throws Exception {
        VideoProfile d = VideoProfile.defaults();
        VideoProfile ladder = new VideoProfile(d.maxBytes(), d.maxDuration(), d.maxWidth(), d.maxHeight(), d.segmentDuration(),
                d.posterPosition(), "none", List.of(720, 360), d.encodeTimeout(), d.encodeMaxBytes());
        Path source = TestServices.corpus().resolve("video").resolve("videos__birds.mp4");
        ProbedVideo probed = probe(ladder).process(TestItems.scanned(source));
        PackagedVideo packaged = new VideoPackagingProcessor(ladder,
                new ImageRenditionsProcessor(new RenditionProfile(List.of(320), RenditionProfile.Fit.CONTAIN, 1.0, 80, 80, 4), temp),
                temp, dev.mediapipeline.processors.video.Ffmpeg.find(ladder)).process(probed);
        assertThat(packaged.packaging()).startsWith("passthrough").contains("ladder [720, 360]").contains("ffmpeg is not available");
        assertThat(packaged.renditionsHeights()).containsExactly(720);
    }

    @Test
    void whatCannotBeStreamedAsItIsIsRefusedWithItsReason() throws Exception {
        Path corpus = TestServices.corpus().resolve("video");
        assertThatThrownBy(() -> probe(VideoProfile.defaults()).process(TestItems.scanned(corpus.resolve("widgets__cityCC0.mpg"))))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("video-container-not-supported"))
                .hasMessageContaining("MPEG program stream");
        assertThatThrownBy(() -> probe(VideoProfile.defaults()).process(TestItems.scanned(corpus.resolve("images__cockatoo.mp4"))))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("video-codec-not-supported"))
                .hasMessageContaining("High 4:4:4");
    }

    @Test
    void budgetsAreCheckedBeforeAnyWork() throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4");
        VideoProfile d = VideoProfile.defaults();
        VideoProfile shortOnly = new VideoProfile(d.maxBytes(), Duration.ofSeconds(5), d.maxWidth(), d.maxHeight(), d.segmentDuration(),
                d.posterPosition(), d.ffmpeg(), d.ladder(), d.encodeTimeout(), d.encodeMaxBytes());
        assertThatThrownBy(() -> probe(shortOnly).process(TestItems.scanned(source)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("too-long"));
        VideoProfile small = new VideoProfile(DataSize.ofKilobytes(100), d.maxDuration(), d.maxWidth(), d.maxHeight(), d.segmentDuration(),
                d.posterPosition(), d.ffmpeg(), d.ladder(), d.encodeTimeout(), d.encodeMaxBytes());
        assertThatThrownBy(() -> probe(small).process(TestItems.scanned(source)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("too-large"));
        VideoProfile narrow = new VideoProfile(d.maxBytes(), d.maxDuration(), 640, 480, d.segmentDuration(),
                d.posterPosition(), d.ffmpeg(), d.ladder(), d.encodeTimeout(), d.encodeMaxBytes());
        assertThatThrownBy(() -> probe(narrow).process(TestItems.scanned(source)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("too-many-pixels"));
    }

    @Test
    void aTruncatedVideoIsRefusedNotPackaged() throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4");
        byte[] bytes = Files.readAllBytes(source);
        Path cut = Files.write(temp.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertThatThrownBy(() -> probe(VideoProfile.defaults()).process(TestItems.scanned(cut)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isIn("truncated", "corrupt"));
    }

    @Test
    void headerBombsAreRefusedBeforeAnythingIsAllocatedFromThem() throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4");
        for (var bomb : dev.mediapipeline.core.testing.Mp4Bombs.from(source).entrySet()) {
            Path file = Files.write(temp.resolve(bomb.getKey()), bomb.getValue().bytes());
            assertThatThrownBy(() -> probe(VideoProfile.defaults()).process(TestItems.scanned(file))).as(bomb.getKey())
                    .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(bomb.getValue().reason()));
        }
    }
}
