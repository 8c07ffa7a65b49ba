package dev.mediapipeline.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.staging.UploadStatus;
import dev.mediapipeline.core.testing.TestServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The unmodified tus-js-client, in Node, uploads a real 20 MB file in 1 MB chunks; its process is
 * killed with SIGKILL halfway; a new process resumes from the server's offset; the staged bytes
 * are the file's, byte for byte.
 */
class TusJsClientResumeTest extends AppTestBase {

    static final long MIN_SIZE = 20_000_000;
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aKilledClientIsResumedByANewProcessFromTheServersOffset() throws Exception {
        Path project = dev.mediapipeline.core.testing.NodeClients.project();
        Path file = realFileOfAtLeast20MB();
        long size = Files.size(file);
        String endpoint = "http://127.0.0.1:" + port + "/uploads";

        // first client: slowed down a little so that it can be killed halfway
        Client first = Client.start(project, List.of(endpoint, file.toString()), 100);
        String url = first.expect("URL ").substring(4);
        long acknowledged = 0;
        while (acknowledged < size / 2) {
            acknowledged = Long.parseLong(first.expect("PROGRESS ").substring(9));
        }
        first.process.destroyForcibly(); // SIGKILL, mid-upload
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        UUID id = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
        long offsetAfterKill = settledOffset(id);
        assertThat(offsetAfterKill).as("the server kept what arrived").isGreaterThanOrEqualTo(acknowledged).isLessThan(size);
        assertThat(staging.current(id).status()).isEqualTo(UploadStatus.IN_PROGRESS);

        // a new process, knowing only the upload's URL
        Client second = Client.start(project, List.of(endpoint, file.toString(), url), 0);
        long firstAccepted = Long.parseLong(second.expect("PROGRESS ").substring(9));
        assertThat(firstAccepted - offsetAfterKill).as("resumed from the server's offset, not from zero")
                .isPositive().isLessThanOrEqualTo(1024 * 1024);
        second.expect("DONE");
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).isZero();

        assertThat(staging.current(id).status()).isEqualTo(UploadStatus.COMPLETE);
        List<UploadChunk> chunks = staging.chunks(id);
        long expectedStart = 0;
        for (UploadChunk chunk : chunks) {
            assertThat(chunk.startOffset()).as("chunks are contiguous, none twice").isEqualTo(expectedStart);
            expectedStart += chunk.length();
        }
        assertThat(expectedStart).isEqualTo(size);
        assertThat(stagedSha256(chunks)).isEqualTo(sha256(file));
    }

    private long settledOffset(UUID id) throws InterruptedException {
        long offset = staging.current(id).offset();
        while (true) {
            Thread.sleep(500);
            long now = staging.current(id).offset();
            if (now == offset) {
                return now;
            }
            offset = now;
        }
    }

    private byte[] stagedSha256(List<UploadChunk> chunks) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (UploadChunk chunk : chunks) {
            try (InputStream in = new DigestInputStream(store.get(s3.buckets().staging(), chunk.objectKey()).orElseThrow(), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    /** The smallest file of the shared corpus (its Debian packages included) that is at least 20 MB. */
    private static Path realFileOfAtLeast20MB() throws IOException {
        try (Stream<Path> files = Files.walk(TestServices.corpus())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> size(p) >= MIN_SIZE)
                    .min(Comparator.comparingLong(TusJsClientResumeTest::size))
                    .orElseThrow(() -> new IllegalStateException("no file of 20 MB or more in the corpus"));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A node process whose output lines are read as they come. */
    record Client(Process process, BlockingQueue<String> lines) {

        static Client start(Path project, List<String> args, int pauseMs) throws IOException {
            return start(project, args, java.util.Map.of("TUS_PAUSE_MS", Integer.toString(pauseMs), "MEDIA_API_KEY", adminKey()));
        }

        /** upload.mjs with its environment: MEDIA_API_KEY, TUS_PAUSE_MS, TUS_CHUNK_SIZE */
        static Client start(Path project, List<String> args, java.util.Map<String, String> environment) throws IOException {
            List<String> command = new ArrayList<>(List.of("node", project.resolve("upload.mjs").toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            return new Client(process, lines);
        }

        /** The next line starting with {@code prefix}; fails on an ERROR line, a timeout or the end. */
        String expect(String prefix) throws InterruptedException {
            while (true) {
                String line = lines.poll(LINE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("a line starting with " + prefix + " from the tus client").isNotNull();
                assertThat(line).as("tus client").doesNotStartWith("ERROR");
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
    }
}
