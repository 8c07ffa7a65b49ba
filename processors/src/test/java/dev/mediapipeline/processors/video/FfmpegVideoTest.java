package dev.mediapipeline.processors.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.ProbedVideo;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.core.testing.Ffmpeg;
import dev.mediapipeline.core.testing.BrowserPlayer;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.processors.TestItems;
import dev.mediapipeline.processors.render.ImageRenditionsProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With ffmpeg on the machine: what cannot be packaged as it is gets transcoded, and the profile's ladder is encoded. */
class FfmpegVideoTest {

    @TempDir
    Path temp;

    private static VideoProfile withLadder(List<Integer> ladder) {
        VideoProfile d = VideoProfile.defaults();
        return new VideoProfile(d.maxBytes(), d.maxDuration(), d.maxWidth(), d.maxHeight(), d.segmentDuration(), d.posterPosition(),
                d.ffmpeg(), ladder, d.encodeTimeout(), d.encodeMaxBytes());
    }

    private PackagedVideo ingest(Path source, VideoProfile profile) throws Exception {
        var ffmpeg = dev.mediapipeline.processors.video.Ffmpeg.find(profile);
        assertThat(ffmpeg).as("ffmpeg is installed (./media test installs it)").isNotNull();
        Path upload = Files.copy(source, Files.createDirectories(temp.resolve("upload")).resolve("upload.bin"));
        ProbedVideo probed = new VideoProbeProcessor(profile, new FfmpegTranscoder(ffmpeg)).process(TestItems.scanned(upload));
        var renditions = new ImageRenditionsProcessor(new RenditionProfile(List.of(320), RenditionProfile.Fit.CONTAIN, 1.0, 80, 80, 4), temp);
        return new VideoPackagingProcessor(profile, renditions, temp, ffmpeg).process(probed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"images__cockatoo.mp4", "widgets__cityCC0.mpg"})
    void whatBrowsersCannotDecodeIsTranscodedThenPackaged(String name) throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve(name);
        PackagedVideo packaged = ingest(source, VideoProfile.defaults());

        assertThat(packaged.video().transcoded()).as("the reason it was re-encoded").isNotBlank();
        assertThat(packaged.packaging()).startsWith("transcoded");
        assertThat(packaged.probe().video().codec()).startsWith("avc1.64");
        if (packaged.probe().audio() != null) {
            assertThat(packaged.probe().audio().codec()).isEqualTo("mp4a.40.2");
        }
        Path master = packaged.files().getLast().file();
        assertThat(Ffmpeg.decodeErrors(master.toString())).isEmpty();
        assertThat(Ffmpeg.decodedFrames(master.toString(), "v")).isEqualTo(Ffmpeg.decodedFrames(source.toString(), "v"));
        assertThat(Ffmpeg.streamDuration(master.toString(), "v")).isCloseTo(Ffmpeg.streamDuration(source.toString(), "v"), Offset.offset(0.1));
    }

    @Test
    void theLadderHasEveryRungUpToTheSourceAndAllDecode() throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("videos__birds.mp4"); // 1280x720
        PackagedVideo packaged = ingest(source, withLadder(List.of(1080, 720, 360)));

        assertThat(packaged.packaging()).startsWith("ladder");
        assertThat(packaged.renditionsHeights()).containsExactly(720, 360);
        Path dir = packaged.files().getLast().file().getParent();
        String master = Files.readString(dir.resolve("master.m3u8"));
        assertThat(master).contains("RESOLUTION=1280x720").contains("RESOLUTION=640x360").doesNotContain("1920x1080");
        assertThat(Files.readString(dir.resolve("manifest.mpd"))).contains("height=\"720\"").contains("height=\"360\"");
        long frames = Ffmpeg.headerFrames(source);
        for (String rung : List.of("video-720p", "video-360p")) {
            String playlist = dir.resolve(rung).resolve("playlist.m3u8").toString();
            assertThat(Ffmpeg.decodeErrors(playlist)).as(rung).isEmpty();
            assertThat(Ffmpeg.decodedFrames(playlist, "v")).as(rung).isEqualTo(frames);
        }
        assertThat(Ffmpeg.decodeErrors(dir.resolve("manifest.mpd").toString())).isEmpty();
        for (BrowserPlayer.Library library : List.of(BrowserPlayer.Library.HLS_JS, BrowserPlayer.Library.DASH_JS)) {
            BrowserPlayer.Playback played = BrowserPlayer.play(dir, library);
            assertThat(played.ended()).as(library + " played the ladder to its end: " + played.json()).isTrue();
            assertThat(played.errors()).doesNotContain("fatal");
        }
        // the rungs' segments start on the same instants, so a player can switch between them
        assertThat(Files.readString(dir.resolve("video-720p/playlist.m3u8")).replaceAll("seg-\\d+", ""))
                .isEqualTo(Files.readString(dir.resolve("video-360p/playlist.m3u8")).replaceAll("seg-\\d+", ""));
    }
}
