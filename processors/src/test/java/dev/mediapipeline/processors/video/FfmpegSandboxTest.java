package dev.mediapipeline.processors.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.ProbedVideo;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.processors.TestItems;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg on untrusted input: what is refused before it runs (playlists, concat lists, reference
 * movies, containers over the budgets), and the fence it runs in (no network, kernel limits). Uses
 * the machine's ffmpeg and ffprobe, as ./media test installs them.
 */
class FfmpegSandboxTest {

    @TempDir
    Path temp;

    private static VideoProfile profile(Duration maxDuration, int maxStreams) {
        VideoProfile d = VideoProfile.defaults();
        return new VideoProfile(d.maxBytes(), maxDuration, d.maxWidth(), d.maxHeight(), d.segmentDuration(), d.posterPosition(),
                d.ffmpeg(), d.ladder(), d.encodeTimeout(), d.encodeMaxBytes(), d.encodeMaxMemory(), d.encodeThreads(), maxStreams,
                d.ffprobe());
    }

    private static Ffmpeg ffmpeg(VideoProfile profile) {
        Ffmpeg ffmpeg = Ffmpeg.find(profile);
        assertThat(ffmpeg).as("ffmpeg and ffprobe are installed (./media test installs them)").isNotNull();
        return ffmpeg;
    }

    @Test
    void aPlaylistOrAConcatListIsRefusedAndWhatItNamesIsNeverOpened() throws Exception {
        VideoProfile profile = VideoProfile.defaults();
        Ffmpeg ffmpeg = ffmpeg(profile);
        VideoProbeProcessor processor = new VideoProbeProcessor(profile, new FfmpegTranscoder(ffmpeg));
        Path hlsDir = Files.createDirectories(temp.resolve("hls"));
        Path concatDir = Files.createDirectories(temp.resolve("concat"));
        try (Watched hlsSecret = new Watched(hlsDir.resolve("secret.ts"));
                Watched concatSecret = new Watched(concatDir.resolve("secret.ts"))) {
            Path hls = Files.writeString(hlsDir.resolve("upload.mp4"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
                    + "#EXTINF:10.0,\nfile:" + hlsSecret.fifo + "\n#EXT-X-ENDLIST\n");
            Path concat = Files.writeString(concatDir.resolve("upload.mp4"), "ffconcat version 1.0\nfile 'secret.ts'\n");

            for (Path upload : List.of(hls, concat)) {
                assertThatThrownBy(() -> processor.process(TestItems.scanned(upload))).as(upload.toString())
                        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("playlist-not-accepted"));
                assertThat(upload.resolveSibling("transcoded.mp4")).doesNotExist();
            }
            // had one got past that check, ffmpeg reads it as the container it is pinned to, never as a list to follow
            for (Path upload : List.of(hls, concat)) {
                for (String demuxer : List.of("mov", "mpegts", "avi", "matroska", "mpeg")) {
                    assertThatThrownBy(() -> ffmpeg.probe(upload, demuxer)).as(upload + " as " + demuxer)
                            .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("corrupt"));
                }
                Path target = upload.resolveSibling("transcoded.mp4");
                for (String demuxer : List.of("mov", "mpegts")) {
                    assertThatThrownBy(() -> new FfmpegTranscoder(ffmpeg).transcode(upload, demuxer, target, profile))
                            .as(upload + " as " + demuxer).isInstanceOf(IOException.class);
                    assertThat(target).doesNotExist();
                }
            }
            assertThat(hlsSecret.opened(Duration.ofMillis(300))).as("the file the playlist names was opened").isFalse();
            assertThat(concatSecret.opened(Duration.ofMillis(300))).as("the file the concat list names was opened").isFalse();

            // the control: ffmpeg left to guess the container follows the playlist and opens the file it names
            Path m3u8 = Files.copy(hls, hlsDir.resolve("control.m3u8"));
            dev.mediapipeline.core.testing.Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-i", m3u8.toString(), "-f", "null", "-");
            assertThat(hlsSecret.opened(Duration.ofSeconds(5))).as("the watch sees an open").isTrue();
        }
    }

    @Test
    void aQuickTimeReferenceMovieIsRefused() throws Exception {
        // a moov that is only a reference movie record: rmra > rmda > rdrf, whose data reference is a URL
        byte[] url = "http://example.com/elsewhere.mov\0".getBytes(StandardCharsets.US_ASCII);
        byte[] rdrf = box("rdrf", concat(int32(0), fourcc("url "), int32(url.length), url));
        byte[] moov = box("moov", box("rmra", box("rmda", rdrf)));
        byte[] ftyp = box("ftyp", concat(fourcc("qt  "), int32(0x200), fourcc("qt  ")));
        Path dir = Files.createDirectories(temp.resolve("reference"));
        Path reference = Files.write(dir.resolve("upload.mov"), concat(ftyp, moov));

        // a real movie whose two tracks' data references are made external (the self-contained flag cleared)
        byte[] bytes = Files.readAllBytes(TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4"));
        int patched = 0;
        for (int i = indexOf(bytes, "dref", 0); i >= 0; i = indexOf(bytes, "dref", i + 4)) {
            // after the type: version and flags (4), entry count (4); then the entry: size, type, version, flags
            assertThat(new String(bytes, i + 16, 4, StandardCharsets.ISO_8859_1)).isEqualTo("url ");
            assertThat(bytes[i + 23]).as("self-contained").isEqualTo((byte) 1);
            bytes[i + 23] = 0;
            patched++;
        }
        assertThat(patched).isEqualTo(2);
        Path external = Files.write(dir.resolve("external.mp4"), bytes);

        VideoProfile profile = VideoProfile.defaults();
        for (Path file : List.of(reference, external)) {
            for (VideoTranscoder transcoder : java.util.Arrays.asList(null, new FfmpegTranscoder(ffmpeg(profile)))) {
                assertThatThrownBy(() -> new VideoProbeProcessor(profile, transcoder).process(TestItems.scanned(file))).as(file.toString())
                        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("reference-movie"));
            }
        }
        assertThat(dir.resolve("transcoded.mp4")).doesNotExist();
    }

    @Test
    void ffmpegRunsWithoutANetworkAndUnderKernelLimits() throws Exception {
        VideoProfile profile = VideoProfile.defaults();
        Ffmpeg ffmpeg = ffmpeg(profile);
        List<String> prefix = ffmpeg.sandbox(Duration.ofSeconds(30), 0);
        assertThat(prefix).as("this machine allows a network namespace, and has prlimit").startsWith("unshare").contains("prlimit");

        // in the namespace the only interface is a loopback (and it is down); /proc/net is per namespace, /sys/class/net is not
        Run interfaces = run(prefix, "cat", "/proc/net/dev");
        assertThat(interfaces.exit()).as(interfaces.out()).isZero();
        assertThat(interfaces.out().lines().skip(2).map(l -> l.strip().split(":")[0]).toList()).containsExactly("lo");

        // the limits are on the process itself: 30 s of wall clock is 60 CPU seconds on two threads
        Run limits = run(prefix, "cat", "/proc/self/limits");
        assertThat(limits.out()).containsPattern("Max cpu time\\s+" + 30 * profile.encodeThreads() + "\\s+" + 30 * profile.encodeThreads() + "\\s")
                .containsPattern("Max address space\\s+" + profile.encodeMaxMemory().toBytes() + "\\s+" + profile.encodeMaxMemory().toBytes() + "\\s");
        assertThat(run(prefix, "sh", "-c", "ulimit -t").out().strip()).isEqualTo(String.valueOf(30 * profile.encodeThreads()));

        // ffmpeg, allowed tcp here, cannot reach a listener on this machine's loopback from inside
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(1000);
            String address = "tcp://127.0.0.1:" + server.getLocalPort();
            Run inside = run(prefix, profile.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "2000000",
                    "-i", address, "-f", "null", "-");
            assertThat(inside.exit()).isNotZero();
            assertThat(inside.out()).containsIgnoringCase("unreachable");
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);

            // the control: the same ffmpeg outside the namespace does reach it
            run(List.of(), profile.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "1000000",
                    "-i", address, "-f", "null", "-");
            try (Socket accepted = server.accept()) {
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aContainerOverItsBudgetsIsRefusedByTheProbeBeforeAnyTranscode() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("long"));
        Path avi = dir.resolve("upload.bin");
        var made = dev.mediapipeline.core.testing.Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi",
                "-i", "testsrc=size=160x120:rate=10:duration=4", "-c:v", "mpeg4", "-f", "avi", avi.toString());
        assertThat(made.exit()).as(made.err()).isZero();

        VideoProfile threeSeconds = profile(Duration.ofSeconds(3), 16);
        assertThatThrownBy(() -> new VideoProbeProcessor(threeSeconds, new FfmpegTranscoder(ffmpeg(threeSeconds))).process(TestItems.scanned(avi)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("too-long"))
                .hasMessageContaining("4.0 s");
        assertThat(dir.resolve("transcoded.mp4")).as("no transcode was started").doesNotExist();
        assertThat(dir.resolve("transcode.log")).doesNotExist();

        // too many streams: one video and seventeen audio streams in Matroska
        Path manyDir = Files.createDirectories(temp.resolve("many"));
        Path many = manyDir.resolve("upload.bin");
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=160x120:rate=10:duration=1", "-f", "lavfi", "-i", "sine=duration=1", "-map", "0:v"));
        for (int i = 0; i < 17; i++) {
            command.addAll(List.of("-map", "1:a"));
        }
        command.addAll(List.of("-c:v", "mpeg4", "-c:a", "pcm_s16le", "-f", "matroska", many.toString()));
        var madeMany = dev.mediapipeline.core.testing.Ffmpeg.run(command.toArray(String[]::new));
        assertThat(madeMany.exit()).as(madeMany.err()).isZero();
        VideoProfile defaults = profile(VideoProfile.defaults().maxDuration(), 16);
        assertThatThrownBy(() -> new VideoProbeProcessor(defaults, new FfmpegTranscoder(ffmpeg(defaults))).process(TestItems.scanned(many)))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo("too-many-streams"))
                .hasMessageContaining("18 streams");
        assertThat(manyDir.resolve("transcoded.mp4")).doesNotExist();

        // within the budgets, the same AVI is transcoded in the sandbox
        ProbedVideo probed = new VideoProbeProcessor(defaults, new FfmpegTranscoder(ffmpeg(defaults))).process(TestItems.scanned(avi));
        assertThat(probed.transcoded()).contains("AVI");
        assertThat(probed.source()).isEqualTo(dir.resolve("transcoded.mp4"));
        assertThat(probed.probe().durationSeconds()).isCloseTo(4.0, Offset.offset(0.2));
    }

    @Test
    void ffprobesReportIsReadStrictly() throws Exception {
        ContainerProbe probe = ContainerProbe.parse("""
                {"streams": [{"index": 0, "codec_type": "video", "codec_name": "mpeg4", "width": 160, "height": 120,
                  "duration": "4.000000", "disposition": {"attached_pic": 0}, "tags": {"title": "a \\"quoted\\" \\u00e9 \\n"}},
                 {"index": 1, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
                  "disposition": {"attached_pic": 1}}],
                 "format": {"format_name": "avi", "nb_streams": 2, "duration": "N/A"}}""");
        assertThat(probe.format()).isEqualTo("avi");
        assertThat(probe.durationSeconds()).isEqualTo(4.0);
        assertThat(probe.streamCount()).isEqualTo(2);
        assertThat(probe.videos()).extracting(ContainerProbe.Stream::codec).containsExactly("mpeg4");
        for (String broken : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\\x\"", "01", "[1]",
                "[".repeat(2000) + "]".repeat(2000))) {
            assertThatThrownBy(() -> ContainerProbe.parse(broken)).as(broken.length() > 20 ? "deep nesting" : broken)
                    .isInstanceOf(IOException.class);
        }
    }

    private record Run(int exit, String out) {
    }

    /** Runs a command behind the prefix, stdout and stderr together. */
    private static Run run(List<String> prefix, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out);
    }

    /**
     * A named pipe standing for a local file that a list names: opening it to read is seen (the writer
     * waiting on its other end gets through), as reading a plain file would not be.
     */
    private static final class Watched implements AutoCloseable {

        final Path fifo;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final Thread writer;

        Watched(Path fifo) throws IOException, InterruptedException {
            this.fifo = fifo;
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
            writer = Thread.ofPlatform().daemon().start(() -> {
                try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                    opened.countDown();
                } catch (IOException e) {
                    // the reader went away
                }
            });
        }

        boolean opened(Duration wait) throws InterruptedException {
            return opened.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            if (opened.getCount() > 0) {
                try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                    // lets the writer through, so that its thread ends
                }
            }
            writer.join(5000);
        }
    }

    private static int indexOf(byte[] bytes, String type, int from) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = Math.max(from, 0); i + t.length <= bytes.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (bytes[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] box(String type, byte[] body) {
        return concat(int32(8 + body.length), fourcc(type), body);
    }

    private static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] fourcc(String type) {
        return type.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
