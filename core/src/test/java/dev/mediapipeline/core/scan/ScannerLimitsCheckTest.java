package dev.mediapipeline.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The check the ingest runs before it starts, against real clamds configured three ways, and what
 * a real clamd answers to a stream over its MaxFileSize.
 */
class ScannerLimitsCheckTest {

    private static ClamdProperties declared(int port, DataSize streamMax) {
        return new ClamdProperties("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(30), DataSize.ofKilobytes(64),
                Duration.ofMinutes(2), streamMax, true, Duration.ofHours(24));
    }

    @Test
    void aClamdThatRefusesOrFindsPassesTheCheck() {
        int port = TestServices.CLAMD_PORT + 1;
        TestServices.startClamd(port, TestServices.repoRoot().resolve("target/clamd-test-1m"), "1M");
        ClamdProperties properties = declared(port, DataSize.ofMegabytes(1));
        new ScannerLimitsCheck(new ClamdScanner(properties), properties, null).run("clamd-test-1m", properties.streamMaxLength().toBytes());
    }

    @Test
    void aClamdThatPassesWhatItSkippedStopsTheCheck() {
        int port = TestServices.CLAMD_PORT + 3;
        Path dir = TestServices.repoRoot().resolve("target/clamd-test-skips");
        // MaxFileSize under StreamMaxLength, AlertExceedsMax off: clamd's own defaults make this easy to get wrong
        TestServices.startClamd(port, dir, "2M", "--max-file", "1M", "--alert-exceeds-max", "no");
        try {
            ClamdProperties properties = declared(port, DataSize.ofMegabytes(2));
            ClamdScanner scanner = new ClamdScanner(properties);
            assertThat(scanner.scan(endingWithEicar(1_500_000)))
                    .as("the danger is real: this clamd says OK to 1.5 MB that end with the EICAR string").isInstanceOf(ScanVerdict.Clean.class);
            assertThatThrownBy(() -> new ScannerLimitsCheck(scanner, properties, null).run("clamd-test-skips", 2 * 1024 * 1024))
                    .isInstanceOf(ScannerMisconfiguredException.class)
                    .hasMessageContaining("answered OK to a ZIP of 2097152 bytes")
                    .hasMessageContaining("AlertExceedsMax yes");
        } finally {
            TestServices.stopClamd(dir);
        }
    }

    @Test
    void theScannerNeverSendsMoreThanTheLimitItWasCheckedFor() {
        ClamdProperties properties = declared(TestServices.clamdPort(), DataSize.ofMegabytes(1));
        assertThatThrownBy(() -> new ClamdScanner(properties).scan(endingWithEicar(1024 * 1024 + 1)))
                .isInstanceOf(ScanLimitExceededException.class).hasMessageContaining("media.clamd.stream-max-length");
    }

    @Test
    void theProbeIsAZipOfExactlyTheLimitWhoseLastMemberIsTheEicarFile() throws Exception {
        byte[] zip = ScannerLimitsCheck.zipEndingWithEicar(100_000).readAllBytes();
        assertThat(zip).hasSize(100_000);
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            assertThat(in.getNextEntry().getName()).isEqualTo("padding.bin");
            assertThat(in.readAllBytes()).hasSize(100_000 - 282).containsOnly(0);
            assertThat(in.getNextEntry().getName()).isEqualTo("eicar.com");
            assertThat(in.readAllBytes()).isEqualTo(ScannerLimitsCheck.EICAR);
            assertThat(in.getNextEntry()).isNull();
        }
        try (var file = new java.util.zip.ZipFile(java.nio.file.Files.write(java.nio.file.Files.createTempFile("probe", ".zip"), zip).toFile())) {
            assertThat(file.size()).as("the central directory agrees").isEqualTo(2);
        }
    }

    @Test
    void aStreamOverMaxFileSizeIsNeverClean() {
        int port = TestServices.CLAMD_PORT + 4;
        Path dir = TestServices.repoRoot().resolve("target/clamd-test-maxfile");
        TestServices.startClamd(port, dir, "2M", "--max-file", "1M");
        try {
            ClamdProperties properties = declared(port, DataSize.ofMegabytes(2));
            ClamdScanner scanner = new ClamdScanner(properties);
            assertThatThrownBy(() -> scanner.scan(endingWithEicar(1_500_000)))
                    .as("over MaxFileSize, within StreamMaxLength: reported as over a limit (AlertExceedsMax yes), not OK")
                    .isInstanceOf(ScanLimitExceededException.class)
                    .hasMessageContaining("MaxFileSize");
            assertThatThrownBy(() -> scanner.scan(new java.io.ByteArrayInputStream(new byte[1_500_000])))
                    .as("even with nothing to find in it").isInstanceOf(ScanLimitExceededException.class);
            assertThat(scanner.scan(endingWithEicar(900_000))).as("under the limit it is scanned to its end")
                    .isInstanceOf(ScanVerdict.Infected.class);
        } finally {
            TestServices.stopClamd(dir);
        }
    }

    /** {@code size} bytes: zeros, and the EICAR string at the end. */
    static java.io.InputStream endingWithEicar(int size) {
        byte[] bytes = new byte[size];
        System.arraycopy(ScannerLimitsCheck.EICAR, 0, bytes, size - ScannerLimitsCheck.EICAR.length, ScannerLimitsCheck.EICAR.length);
        return new java.io.ByteArrayInputStream(bytes);
    }
}
