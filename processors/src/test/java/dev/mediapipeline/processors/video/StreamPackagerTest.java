package dev.mediapipeline.processors.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.media.StreamFile;
import dev.mediapipeline.core.testing.Ffmpeg;
import dev.mediapipeline.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packaging without re-encoding, checked by ffprobe/ffmpeg reading the HLS master playlist and the MPD. */
class StreamPackagerTest {

    @ParameterizedTest
    @ValueSource(strings = {"images__realshort.mp4", "video__balle-jbart.mp4", "videos__birds.mp4", "images__cockatoo.mp4"})
    void hlsAndDashOverOneSetOfSegmentsDecodeEveryFrame(String name, @TempDir Path out) throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve(name);
        long sourceFrames = Ffmpeg.headerFrames(source);
        double sourceDuration = Ffmpeg.streamDuration(source.toString(), "v");

        var result = new StreamPackager(Duration.ofSeconds(4)).packageStreams(List.of(new StreamPackager.VideoInput("video", source)), out);

        List<String> paths = result.files().stream().map(StreamFile::path).toList();
        assertThat(paths.getLast()).as("the master playlist is published last").isEqualTo("master.m3u8");
        assertThat(paths).contains("manifest.mpd", "video/init.mp4", "video/playlist.m3u8", "audio/init.mp4", "video/seg-00001.m4s");
        for (StreamFile file : result.files()) {
            assertThat(Files.size(file.file())).isEqualTo(file.size());
        }
        for (String entry : List.of("master.m3u8", "manifest.mpd")) {
            String url = out.resolve(entry).toString();
            assertThat(Ffmpeg.decodeErrors(url)).as(entry).isEmpty();
            assertThat(Ffmpeg.decodedFrames(url, "v")).as(entry + " frames").isEqualTo(sourceFrames);
            assertThat(Ffmpeg.streamDuration(url, "v")).as(entry + " video duration").isCloseTo(sourceDuration, org.assertj.core.data.Offset.offset(0.05));
        }
        String media = Files.readString(out.resolve("video/playlist.m3u8"));
        assertThat(media).contains("#EXT-X-MAP:URI=\"init.mp4\"").contains("#EXT-X-ENDLIST");
        String master = Files.readString(out.resolve("master.m3u8"));
        assertThat(master).containsPattern("CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.[0-9A-Za-z.]+\"").containsPattern("RESOLUTION=\\d+x\\d+");
    }
}
