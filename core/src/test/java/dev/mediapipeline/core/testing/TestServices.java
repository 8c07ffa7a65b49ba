package dev.mediapipeline.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real services every module's tests share, started once per test JVM through the project's
 * own scripts: clamd ({@code scripts/clamd}) and the media corpus ({@code ../shared/corpus/fetch-corpus.sh}).
 * Nothing here is a stand-in: a missing tool fails the test with what to install.
 */
public final class TestServices {

    /** The test clamd's port; {@code ./media test} starts it before Maven, a lone IDE run starts it here. */
    public static final int CLAMD_PORT = Integer.parseInt(System.getenv().getOrDefault("MEDIA_TEST_CLAMD_PORT", "3311"));

    private static Path corpus;
    private static boolean clamdStarted;

    private TestServices() {
    }

    /** The checkout's top folder (where mvnw is). */
    public static Path repoRoot() {
        String configured = System.getProperty("media.repo.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("scripts"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + dir);
    }

    /** clamd with the project's test signatures on 127.0.0.1:{@link #CLAMD_PORT}. */
    public static synchronized int clamdPort() {
        if (!clamdStarted) {
            startClamd(CLAMD_PORT, repoRoot().resolve("target/clamd-test"), "512M");
            clamdStarted = true;
        }
        return CLAMD_PORT;
    }

    /** A second clamd, for limits: the given StreamMaxLength, its own directory and port. */
    public static void startClamd(int port, Path dir, String streamMax, String... options) {
        List<String> command = new ArrayList<>(List.of(repoRoot().resolve("scripts/clamd").toString(), "start", "--port",
                Integer.toString(port), "--dir", dir.toString(), "--stream-max", streamMax));
        command.addAll(List.of(options));
        run(command, 180);
    }

    /** Stops a clamd that {@link #startClamd} started in {@code dir}. */
    public static void stopClamd(Path dir) {
        run(List.of(repoRoot().resolve("scripts/clamd").toString(), "stop", "--dir", dir.toString()), 60);
    }

    /** The shared media corpus (real photos, videos, hostile files), fetched once per machine. */
    public static synchronized Path corpus() {
        if (corpus == null) {
            String configured = System.getenv("MEDIA_CORPUS");
            Path dir = configured != null ? Path.of(configured) : repoRoot().resolve("target/corpus");
            if (!Files.isRegularFile(dir.resolve(".complete"))) {
                Path shared = Path.of(System.getenv().getOrDefault("MEDIA_SHARED", repoRoot().resolve("../shared").toString()));
                run(List.of("bash", shared.resolve("corpus/fetch-corpus.sh").toString(), dir.toString()), 900);
            }
            corpus = dir;
        }
        return corpus;
    }

    /** Runs a command to completion; its output goes to the test log, a failure fails the test. */
    public static String run(List<String> command, int timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
