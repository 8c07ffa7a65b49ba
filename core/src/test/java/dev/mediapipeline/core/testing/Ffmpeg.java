package dev.mediapipeline.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffprobe and ffmpeg as independent clients of what the pipeline writes (the project's scripts
 * install them; a test that needs them fails, never skips, when they are missing).
 */
public final class Ffmpeg {

    private Ffmpeg() {
    }

    /** What came out of a run: exit code, stdout, stderr. */
    public record Run(int exit, String out, String err) {
    }

    public static Run run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ffmpeg-out", ".txt");
        Path err = Files.createTempFile("ffmpeg-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is not installed (./media test installs it): " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Frames of the first stream of the kind (v or a) that ffmpeg decodes from the input, failing on any decode error. */
    public static long decodedFrames(String input, String kind) throws IOException, InterruptedException {
        Run run = run("ffprobe", "-v", "error", "-count_frames", "-select_streams", kind + ":0", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", input);
        if (run.exit() != 0 || !run.err().isBlank()) {
            throw new AssertionError("ffprobe could not decode " + input + ": " + run.err());
        }
        return Long.parseLong(run.out().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow().trim().replace(",", ""));
    }

    /** Decodes every stream of the input to nowhere; the error output (empty when all is well). */
    public static String decodeErrors(String input) throws IOException, InterruptedException {
        Run run = run("ffmpeg", "-nostdin", "-v", "error", "-i", input, "-map", "0", "-f", "null", "-");
        return run.exit() == 0 ? run.err() : "exit " + run.exit() + ": " + run.err();
    }

    /** The container's duration in seconds as ffprobe reads it. */
    public static double duration(String input) throws IOException, InterruptedException {
        Run run = run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", input);
        return Double.parseDouble(run.out().trim());
    }

    /**
     * How long the first stream of the kind (v or a) plays, from its packets: the end of the last one
     * (pts + duration) minus the earliest pts. Container headers are not asked, since ffmpeg's DASH
     * reader rounds mediaPresentationDuration down to whole seconds.
     */
    public static double streamDuration(String input, String kind) throws IOException, InterruptedException {
        Run run = run("ffprobe", "-v", "error", "-select_streams", kind + ":0", "-show_entries", "packet=pts_time,duration_time",
                "-of", "csv=p=0", input);
        if (run.exit() != 0) {
            throw new AssertionError("ffprobe could not read " + input + ": " + run.err());
        }
        double first = Double.MAX_VALUE;
        double end = 0;
        for (String line : run.out().lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split(",");
            if (f[0].equals("N/A")) {
                continue;
            }
            double pts = Double.parseDouble(f[0]);
            double duration = f.length > 1 && !f[1].equals("N/A") ? Double.parseDouble(f[1]) : 0;
            first = Math.min(first, pts);
            end = Math.max(end, pts + duration);
        }
        return end - first;
    }

    /** Frame count of the first video stream of a plain file, from its header. */
    public static long headerFrames(Path file) throws IOException, InterruptedException {
        return decodedFrames(file.toString(), "v");
    }

}
