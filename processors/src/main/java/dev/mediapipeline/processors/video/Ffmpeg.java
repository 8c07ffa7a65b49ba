package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg as a sandboxed encoder: it may read and write local files only ({@code -protocol_whitelist
 * file}, inputs given as {@code file:} URLs, so a hostile playlist or reference in the upload cannot
 * reach the network), no stdin, one output size cap ({@code -fs}) per output, a wall-clock cap
 * (the process is killed past the profile's encode timeout), and its exit code checked.
 */
public final class Ffmpeg {

    /** A filter that stretches non-square pixels (PAL, anamorphic) to square ones, as the web shows them. */
    static final String SQUARE_PIXELS = "scale=trunc(iw*sar/2)*2:ih,setsar=1";

    private final String executable;
    private final String version;
    private final VideoProfile profile;

    private Ffmpeg(String executable, String version, VideoProfile profile) {
        this.executable = executable;
        this.version = version;
        this.profile = profile;
    }

    /** An ffmpeg that answers {@code -version}, or null when the profile's executable is not there. */
    public static Ffmpeg find(VideoProfile profile) {
        String executable = profile.ffmpeg();
        if (executable == null || executable.isBlank() || executable.equals("none")) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(executable, "-hide_banner", "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("ffmpeg");
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new Ffmpeg(executable, first.replaceAll(" Copyright.*", ""), profile);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The first line of {@code ffmpeg -version}, for lineage. */
    public String version() {
        return version;
    }

    /** H.264 settings shared by every encode: High profile, 8-bit 4:2:0, closed GOPs, keyframes at every segment boundary. */
    List<String> h264(int crf) {
        double gop = profile.segmentDuration().toMillis() / 1000.0;
        return List.of("-c:v", "libx264", "-preset:v", "veryfast", "-profile:v", "high", "-pix_fmt:v", "yuv420p",
                "-crf:v", String.valueOf(crf), "-force_key_frames:v", String.format(Locale.ROOT, "expr:gte(t,n_forced*%.3f)", gop),
                "-sc_threshold:v", "0", "-flags:v", "+cgop");
    }

    /**
     * Runs ffmpeg on one input with the given output arguments (each output file last in its group).
     * The source is read as {@code file:}; rotation is applied by ffmpeg's autorotate.
     */
    void run(Path source, List<String> outputArguments, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-protocol_whitelist", "file", "-i", "file:" + source.toAbsolutePath()));
        command.addAll(outputArguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
            String out = Files.exists(log) ? Files.readString(log) : "";
            throw new IOException("ffmpeg failed (" + process.exitValue() + "): " + out.strip());
        }
    }

    /** The per-output size cap. */
    List<String> sizeCap() {
        return List.of("-fs", String.valueOf(profile.encodeMaxBytes().toBytes()));
    }
}
