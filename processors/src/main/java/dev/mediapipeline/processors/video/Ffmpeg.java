package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.VideoProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg (and ffprobe) as a sandboxed tool for untrusted input. The decoders and demuxers are the
 * largest attack surface in the pipeline, so every run is fenced in depth:
 * <ul>
 * <li>the input's container is pinned with {@code -f} to the one its magic bytes showed: ffmpeg
 * never guesses, so a playlist (HLS), a concat list or an image sequence posing as a video is read
 * by the wrong demuxer and fails instead of being followed;</li>
 * <li>local files only ({@code -protocol_whitelist file}, inputs given as {@code file:} URLs), and,
 * where the machine allows one, a fresh network namespace ({@code unshare -rn}, else {@code unshare
 * -n}) that has no interface but a loopback that is down, so nothing in the file can reach the
 * network even through a bug in the whitelist;</li>
 * <li>kernel limits ({@code prlimit}) on CPU seconds and address space, which hold even when this
 * JVM dies and its wall-clock watchdog with it, and which turn a decompression bomb into an
 * allocation failure instead of the machine's memory;</li>
 * <li>a thread cap ({@code -threads}, {@code -filter_threads}) so one encode does not take every
 * core; no stdin; one output size cap ({@code -fs}) per output; a wall-clock cap (the process is
 * killed past the profile's encode timeout) and its exit code checked.</li>
 * </ul>
 * The sandbox is decided once, when ffmpeg is found, by trying it.
 */
public final class Ffmpeg {

    private static final Logger log = LoggerFactory.getLogger(Ffmpeg.class);

    /** A filter that stretches non-square pixels (PAL, anamorphic) to square ones, as the web shows them. */
    static final String SQUARE_PIXELS = "scale=trunc(iw*sar/2)*2:ih,setsar=1";

    /** ffprobe only reads headers and a few packets: past this it is stuck on something hostile. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

    /** The most ffprobe may print: a report of 16 streams is a few tens of kB, tags included. */
    static final long PROBE_MAX_REPORT = 1L << 20;

    private final String executable;
    private final String ffprobe;
    private final String version;
    private final VideoProfile profile;
    private final List<String> isolation;
    private final boolean prlimit;

    private Ffmpeg(String executable, String ffprobe, String version, VideoProfile profile, List<String> isolation, boolean prlimit) {
        this.executable = executable;
        this.ffprobe = ffprobe;
        this.version = version;
        this.profile = profile;
        this.isolation = isolation;
        this.prlimit = prlimit;
    }

    /**
     * An ffmpeg (with its ffprobe) that answers {@code -version}, or null when the profile's executable
     * is not there. Without ffprobe it is not used either: a container other than MP4/MOV is only
     * re-encoded once ffprobe has checked it against the budgets.
     */
    public static Ffmpeg find(VideoProfile profile) {
        String executable = profile.ffmpeg();
        if (executable == null || executable.isBlank() || executable.equals("none")) {
            return null;
        }
        String first = firstLine(List.of(executable, "-hide_banner", "-version"));
        if (first == null) {
            return null;
        }
        String ffprobe = ffprobeExecutable(profile);
        if (firstLine(List.of(ffprobe, "-hide_banner", "-version")) == null) {
            log.warn("{} is there but {} is not: videos are packaged as uploaded and what cannot be is refused", executable, ffprobe);
            return null;
        }
        List<String> isolation = List.of();
        if (succeeds(List.of("unshare", "-rn", "--", "true"))) {
            isolation = List.of("unshare", "-rn", "--");
        } else if (succeeds(List.of("unshare", "-n", "--", "true"))) {
            isolation = List.of("unshare", "-n", "--");
        } else {
            log.warn("no network namespace can be made here (unshare -rn and unshare -n fail): ffmpeg runs with"
                    + " -protocol_whitelist file only, not cut off from the network");
        }
        boolean prlimit = succeeds(List.of("prlimit", "--cpu=" + cpuSeconds(profile.encodeTimeout(), profile),
                "--as=" + profile.encodeMaxMemory().toBytes(), "--", "true"));
        if (!prlimit) {
            log.warn("prlimit is missing or cannot set the limits: ffmpeg runs without CPU-time and address-space limits");
        }
        return new Ffmpeg(executable, ffprobe, first.replaceAll(" Copyright.*", ""), profile, isolation, prlimit);
    }

    /** The profile's ffprobe, or the one next to ffmpeg: {@code ffmpeg} replaced by {@code ffprobe} in the file name. */
    static String ffprobeExecutable(VideoProfile profile) {
        if (profile.ffprobe() != null && !profile.ffprobe().isBlank()) {
            return profile.ffprobe();
        }
        String ffmpeg = profile.ffmpeg();
        int slash = ffmpeg.lastIndexOf('/');
        String name = ffmpeg.substring(slash + 1);
        int at = name.lastIndexOf("ffmpeg");
        String probe = at < 0 ? "ffprobe" : name.substring(0, at) + "ffprobe" + name.substring(at + "ffmpeg".length());
        return ffmpeg.substring(0, slash + 1) + probe;
    }

    /** The first line a command prints when it exits 0 within 20 s, or null. */
    private static String firstLine(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String first;
            try (InputStream in = p.getInputStream()) {
                first = new String(in.readNBytes(4096), StandardCharsets.UTF_8).lines().findFirst().orElse("ffmpeg");
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? first : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean succeeds(List<String> command) {
        return firstLine(command) != null;
    }

    /** The first line of {@code ffmpeg -version}, for lineage. */
    public String version() {
        return version;
    }

    /**
     * CPU seconds for a run with this wall-clock cap: the cap's worth on each thread it may use. It is
     * the backstop for when the watchdog is gone; the wall clock is the limit that normally ends a run.
     */
    private static long cpuSeconds(Duration wallClock, VideoProfile profile) {
        return cpuSeconds(wallClock, profile, 1);
    }

    /** The same for a run with {@code encoders} outputs (a ladder encodes each rung with its own threads). */
    private static long cpuSeconds(Duration wallClock, VideoProfile profile, int encoders) {
        return Math.max(1, wallClock.toSeconds()) * profile.encodeThreads() * Math.max(1, encoders);
    }

    /**
     * The command prefix a run goes through: the network namespace (when the machine allows one), then
     * the kernel limits (when prlimit is there). Package-private so that a test can run something
     * else through exactly the same fence.
     *
     * @param wallClock the run's wall-clock cap, from which its CPU seconds follow
     * @param maxFileBytes the largest file the process may write (RLIMIT_FSIZE), or 0 for no such limit
     */
    List<String> sandbox(Duration wallClock, long maxFileBytes) {
        return sandbox(wallClock, maxFileBytes, 1);
    }

    private List<String> sandbox(Duration wallClock, long maxFileBytes, int encoders) {
        List<String> prefix = new ArrayList<>(isolation);
        if (prlimit) {
            prefix.addAll(List.of("prlimit", "--cpu=" + cpuSeconds(wallClock, profile, encoders),
                    "--as=" + profile.encodeMaxMemory().toBytes()));
            if (maxFileBytes > 0) {
                prefix.add("--fsize=" + maxFileBytes);
            }
            prefix.add("--");
        }
        return prefix;
    }

    /**
     * The demuxer that reads a container, from its type as the magic bytes show it, or null for a type
     * that is not accepted. The input is always read with this one ({@code -f}), never by ffmpeg's
     * own guess, which would follow an HLS playlist, a concat list or an image sequence.
     */
    static String demuxer(String mediaType) {
        return switch (mediaType) {
            case "video/mp4", "video/x-m4v", "video/3gpp", "video/3gpp2", "application/mp4", "video/quicktime" -> "mov";
            case "video/mpeg" -> "mpeg";
            case "video/mp2t" -> "mpegts";
            case "video/x-msvideo" -> "avi";
            case "video/webm", "video/x-matroska", "application/x-matroska" -> "matroska";
            case "video/x-ms-asf", "video/x-ms-wmv" -> "asf";
            case "video/x-flv" -> "flv";
            default -> null;
        };
    }

    /**
     * How an input is opened: local files only, its demuxer pinned, and for MOV no data references
     * followed to other files ({@code enable_drefs} is off by default; said here so it stays off).
     */
    private List<String> input(Path source, String demuxer) {
        if (demuxer == null || demuxer.isBlank()) {
            throw new IllegalArgumentException("the input's demuxer must be pinned");
        }
        List<String> input = new ArrayList<>(List.of("-protocol_whitelist", "file", "-f", demuxer));
        if (demuxer.equals("mov")) {
            input.addAll(List.of("-enable_drefs", "0"));
        }
        input.addAll(List.of("-i", "file:" + source.toAbsolutePath()));
        return input;
    }

    /** H.264 settings shared by every encode: High profile, 8-bit 4:2:0, closed GOPs, keyframes at every segment boundary. */
    List<String> h264(int crf) {
        double gop = profile.segmentDuration().toMillis() / 1000.0;
        return List.of("-c:v", "libx264", "-preset:v", "veryfast", "-profile:v", "high", "-pix_fmt:v", "yuv420p",
                "-crf:v", String.valueOf(crf), "-force_key_frames:v", String.format(Locale.ROOT, "expr:gte(t,n_forced*%.3f)", gop),
                "-sc_threshold:v", "0", "-flags:v", "+cgop", "-threads", String.valueOf(profile.encodeThreads()));
    }

    /**
     * Runs ffmpeg on one input, read with the given demuxer, with the given output arguments (each
     * output file last in its group). The source is read as {@code file:}, at most the profile's
     * longest duration of it (and a second), so that a container whose header understates its length
     * cannot keep the encoder busy past the budget; rotation is applied by ffmpeg's autorotate.
     */
    void run(Path source, String demuxer, List<String> outputArguments, Path log) throws IOException {
        String threads = String.valueOf(profile.encodeThreads());
        // each output is named last in its group as a file: URL; every file written (outputs, and the log) is capped
        int encoders = (int) outputArguments.stream().filter(a -> a.startsWith("file:")).count();
        List<String> command = new ArrayList<>(sandbox(profile.encodeTimeout(), profile.encodeMaxBytes().toBytes() + (64L << 20), encoders));
        command.addAll(List.of(executable, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-filter_threads", threads,
                "-threads", threads, "-t", String.valueOf(profile.maxDuration().toSeconds() + 1)));
        command.addAll(input(source, demuxer));
        command.addAll(outputArguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(profile.encodeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("ffmpeg did not finish within " + profile.encodeTimeout() + " and was stopped");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ffmpeg ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (" + exit(process.exitValue()) + "): " + head(log));
        }
    }

    /**
     * What ffprobe reads from the container's headers (format and streams, nothing decoded past what
     * it needs to know the codecs), in the same sandbox with the same pinned demuxer, within a short
     * timeout and a bounded report. A file ffprobe cannot read is refused as corrupt: it would not
     * transcode either.
     */
    ContainerProbe probe(Path source, String demuxer) throws IOException {
        Duration timeout = PROBE_TIMEOUT.compareTo(profile.encodeTimeout()) < 0 ? PROBE_TIMEOUT : profile.encodeTimeout();
        Path out = Files.createTempFile("ffprobe-", ".json");
        Path err = Files.createTempFile("ffprobe-", ".log");
        try {
            // the report's file may grow to a little over the bound, so that "too large" can be told apart
            List<String> command = new ArrayList<>(sandbox(timeout, PROBE_MAX_REPORT + 4096));
            command.addAll(List.of(ffprobe, "-hide_banner", "-v", "error", "-threads", String.valueOf(profile.encodeThreads())));
            command.addAll(input(source, demuxer));
            command.addAll(List.of("-show_format", "-show_streams", "-of", "json"));
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new RejectedException("corrupt", "ffprobe could not read the video's headers within " + timeout);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while ffprobe ran", e);
            }
            if (Files.size(out) > PROBE_MAX_REPORT) {
                throw new RejectedException("corrupt", "ffprobe's report on the video is over " + PROBE_MAX_REPORT + " bytes");
            }
            if (process.exitValue() != 0) {
                throw new RejectedException("corrupt", "ffprobe cannot read the video as " + demuxer + " (" + exit(process.exitValue())
                        + "): " + head(err));
            }
            try {
                return ContainerProbe.parse(Files.readString(out, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new RejectedException("corrupt", "ffprobe's report on the video cannot be read: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** An exit code, with its signal when the kernel ended the process (SIGKILL at the CPU limit, SIGSEGV). */
    private static String exit(int code) {
        return code > 128 && code < 160 ? code + ", signal " + (code - 128) : String.valueOf(code);
    }

    /** The start of a log, for a message: what went wrong is in its first lines. */
    private static String head(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(log)) {
            bytes = in.readNBytes(2000);
        }
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }

    /** The per-output size cap. */
    List<String> sizeCap() {
        return List.of("-fs", String.valueOf(profile.encodeMaxBytes().toBytes()));
    }
}
