package dev.mediapipeline.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The scanner against Debian's real clamd, loaded with the project's signature database. */
class ClamdScannerTest {

    static final byte[] EICAR = TestSamples.EICAR;

    static ClamdScanner scanner;

    @BeforeAll
    static void clamd() {
        scanner = new ClamdScanner(properties(TestServices.clamdPort(), Duration.ofSeconds(60)));
    }

    static ClamdProperties properties(int port, Duration readTimeout) {
        return new ClamdProperties("127.0.0.1", port, Duration.ofSeconds(2), readTimeout, DataSize.ofKilobytes(64));
    }

    @Test
    void cleanContentIsClean() {
        byte[] random = new byte[3_000_000];
        new Random(7).nextBytes(random);
        assertThat(scanner.scan(new ByteArrayInputStream(random))).isEqualTo(new ScanVerdict.Clean());
    }

    @Test
    void aRealPhotoIsClean() throws IOException {
        try (InputStream photo = Files.newInputStream(anyCorpusJpeg())) {
            assertThat(scanner.scan(photo)).isEqualTo(new ScanVerdict.Clean());
        }
    }

    @Test
    void manyMoreScansAtOnceThanClamdHasThreadsGiveNoFalseClean() throws Exception {
        // scripts/clamd runs MaxThreads 4: 24 scans at once queue in clamd, half of them infected
        byte[] clean = new byte[2_000_000];
        new Random(11).nextBytes(clean);
        byte[] infected = java.util.Arrays.copyOf(clean, clean.length + EICAR.length);
        System.arraycopy(EICAR, 0, infected, clean.length, EICAR.length);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(24)) {
            List<java.util.concurrent.Future<ScanVerdict>> verdicts = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] content = i % 2 == 0 ? infected : clean;
                verdicts.add(threads.submit(() -> scanner.scan(new ByteArrayInputStream(content))));
            }
            for (int i = 0; i < 24; i++) {
                ScanVerdict verdict = verdicts.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES);
                assertThat(verdict).as("scan " + i).isInstanceOf(i % 2 == 0 ? ScanVerdict.Infected.class : ScanVerdict.Clean.class);
            }
        }
    }

    @Test
    void eicarIsFoundWithItsSignatureName() {
        ScanVerdict verdict = scanner.scan(new ByteArrayInputStream(EICAR));
        assertThat(verdict).isInstanceOf(ScanVerdict.Infected.class);
        assertThat(((ScanVerdict.Infected) verdict).signature()).startsWith("MediaPipeline.Test.EICAR");
    }

    @Test
    void eicarAppendedToAPhotoIsFound() throws IOException {
        ByteArrayOutputStream polyglot = new ByteArrayOutputStream();
        polyglot.write(Files.readAllBytes(anyCorpusJpeg()));
        polyglot.write(EICAR);
        assertThat(scanner.scan(new ByteArrayInputStream(polyglot.toByteArray()))).isInstanceOf(ScanVerdict.Infected.class);
    }

    @Test
    void eicarInsideAZipIsFound() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write(EICAR);
            out.closeEntry();
        }
        assertThat(scanner.scan(new ByteArrayInputStream(zip.toByteArray()))).isInstanceOf(ScanVerdict.Infected.class);
    }

    @Test
    void contentOverTheStreamLimitIsRefusedNotClean() {
        int port = TestServices.CLAMD_PORT + 1;
        TestServices.startClamd(port, TestServices.repoRoot().resolve("target/clamd-test-1m"), "1M");
        ClamdScanner small = new ClamdScanner(properties(port, Duration.ofSeconds(30)));
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        new Random(3).nextBytes(twoMegabytes);
        assertThatThrownBy(() -> small.scan(new ByteArrayInputStream(twoMegabytes)))
                .isInstanceOf(ScanLimitExceededException.class)
                .hasMessageContaining("StreamMaxLength");
        // under the limit the same clamd still scans
        assertThat(small.scan(new ByteArrayInputStream(EICAR))).isInstanceOf(ScanVerdict.Infected.class);
    }

    @Test
    void clamdDownIsUnavailableNeverClean() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ClamdScanner down = new ClamdScanner(properties(closedPort, Duration.ofSeconds(5)));
        assertThatThrownBy(() -> down.scan(new ByteArrayInputStream(EICAR)))
                .isInstanceOf(ScannerUnavailableException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void aPeerThatNeverAnswersTimesOutNeverClean() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try {
                    var accepted = silent.accept();
                    accepted.getInputStream().readAllBytes(); // swallow everything, answer nothing
                } catch (IOException ignored) {
                    // closed at the end of the test
                }
            });
            ClamdScanner hung = new ClamdScanner(properties(silent.getLocalPort(), Duration.ofMillis(500)));
            assertThatThrownBy(() -> hung.scan(new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII))))
                    .isInstanceOf(ScannerUnavailableException.class)
                    .hasMessageContaining("did not answer");
        }
    }

    @Test
    void aClamdThatStopsReadingCannotHoldAScanPastItsDeadline() throws Exception {
        int port = TestServices.CLAMD_PORT + 2;
        java.nio.file.Path dir = TestServices.repoRoot().resolve("target/clamd-test-stuck");
        TestServices.startClamd(port, dir, "500M");
        String pid = java.nio.file.Files.readString(dir.resolve("clamd.pid")).strip();
        TestServices.run(List.of("kill", "-STOP", pid), 10); // a real clamd that stops reading, as a hung one does
        try {
            ClamdProperties props = properties(port, Duration.ofSeconds(30));
            ClamdScanner scanner = new ClamdScanner(new ClamdProperties(props.host(), props.port(), props.connectTimeout(),
                    props.readTimeout(), props.chunkSize(), Duration.ofSeconds(2)));
            byte[] large = new byte[64 * 1024 * 1024]; // far more than the sockets' buffers hold: the write blocks
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> scanner.scan(new ByteArrayInputStream(large)))
                            .isInstanceOf(ScannerUnavailableException.class)
                            .hasMessageContaining("did not finish the exchange within PT2S"));
        } finally {
            TestServices.run(List.of("kill", "-CONT", pid), 10);
            TestServices.run(List.of(TestServices.repoRoot().resolve("scripts/clamd").toString(), "stop", "--dir", dir.toString()), 60);
        }
    }

    @Test
    void aPeerThatAnswersOkBeforeReadingEverythingIsNeverClean() throws Exception {
        try (ServerSocket early = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (var accepted = early.accept()) {
                    accepted.getInputStream().readNBytes(64);
                    accepted.getOutputStream().write("stream: OK\0".getBytes(StandardCharsets.US_ASCII));
                    accepted.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the client went away
                }
            });
            ClamdScanner scanner = new ClamdScanner(properties(early.getLocalPort(), Duration.ofSeconds(10)));
            byte[] large = new byte[32 * 1024 * 1024];
            assertThatThrownBy(() -> scanner.scan(new ByteArrayInputStream(large))).isInstanceOf(ScannerUnavailableException.class);
        }
    }

    @Test
    void versionNamesTheEngine() {
        assertThat(scanner.version()).startsWith("ClamAV 1.");
    }

    static Path anyCorpusJpeg() throws IOException {
        try (var files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            return files.sorted().findFirst().orElseThrow();
        }
    }
}
