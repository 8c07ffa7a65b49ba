package dev.mediapipeline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.testing.TestSamples;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code media ingest FOLDER}, then {@code media failures}, each in a JVM of its own as an operator
 * runs them, on this context's PostgreSQL, S3 and clamd. The folder holds two good corpus photos and
 * three hostile files made here: a JPEG cut after 200 bytes, a text file named .jpg (whose name holds
 * a terminal escape), and the EICAR file. The ingest names each refused file with its reason (the
 * EICAR one infected, with the test signature clamd reports and its quarantine key), lists no
 * published one, and exits 0, since the job completed; the ledger then shows the same classes with
 * the same counts, each entry in the ingest's execution.
 */
class FailuresCommandTest extends AppTestBase {

    /** Two small corpus photos that publish (each ends at its EOI; nothing trails). */
    private static final List<String> GOOD = List.of("nature__FreshFlower.jpg", "data__rocket.jpg");
    private static final String CUT = "hostile/cut.jpg";
    private static final String TEXT = "hostile/notes\u001b[31m.jpg";
    private static final String EICAR = "invoice.pdf";

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void ingestNamesEveryRefusedFileWithItsReasonAndFailuresCountsTheSameClasses(@TempDir Path folder) throws Exception {
        Path jpeg = TestServices.corpus().resolve("jpeg");
        for (String name : GOOD) {
            Files.copy(jpeg.resolve(name), folder.resolve(name));
        }
        Files.createDirectories(folder.resolve("hostile"));
        Files.write(folder.resolve(CUT), Arrays.copyOf(Files.readAllBytes(jpeg.resolve(GOOD.get(1))), 200));
        Files.writeString(folder.resolve(TEXT), "not a photo, whatever its name says\n");
        Files.write(folder.resolve(EICAR), TestSamples.EICAR);
        // a tenant of its own: the job takes only its uploads, and the ledger is read for it alone
        String tenant = "cli-failures-" + UUID.randomUUID().toString().substring(0, 8);
        Path home = Files.createTempDirectory(MEDIA_HOME.getParent(), "cli-home-");

        Run ingest = media(home, "ingest", folder.toString(), "--tenant", tenant);
        assertThat(ingest.status()).as("the job completed, refusals and all: status 0; " + ingest).isZero();
        assertThat(ingest.output()).as("no escape in the report").doesNotContain("\u001b");
        Matcher execution = Pattern.compile("job mediaIngest execution (\\d+): COMPLETED").matcher(ingest.output());
        assertThat(execution.find()).as(ingest.toString()).isTrue();
        assertThat(ingest.output()).containsPattern("published +2\\b");

        List<String> refused = section(ingest.output(), "  refused files (3), by name:");
        assertThat(refused).as(ingest.toString()).hasSize(3);
        // by name: hostile/cut.jpg, hostile/notes?[31m.jpg, invoice.pdf
        assertThat(refused.get(0)).matches("    hostile/cut\\.jpg +(truncated|corrupt) +\\S.*");
        assertThat(refused.get(1)).as("the escape made printable (U+FFFD, or ? where the terminal is ASCII)")
                .matches("    hostile/notes[\ufffd?]\\[31m\\.jpg +type-not-allowed +the content is .*");
        assertThat(refused.get(2)).as("clamd's signature and the quarantine key")
                .matches("    invoice\\.pdf +infected +MediaPipeline\\.Test\\.EICAR\\S*, quarantined as quarantine/[0-9a-f]{64}");
        for (String good : GOOD) {
            assertThat(refused).noneMatch(line -> line.contains(good));
        }
        assertThat(ingest.output()).as("no item failed").doesNotContain("failed items");
        String cutReason = refused.get(0).strip().split(" +")[1];

        Run failures = media(home, "failures", "--tenant", tenant);
        assertThat(failures.status()).as(failures.toString()).isZero();
        assertThat(section(failures.output(), "  3 in 3 classes:")).as(failures.toString()).containsExactlyInAnyOrder(
                classLine("rejected:" + cutReason, 1), classLine("rejected:infected", 1), classLine("rejected:type-not-allowed", 1));
        List<String> entries = section(failures.output(), "  all 3, newest first:");
        String when = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        String ofTheIngest = "execution " + execution.group(1);
        assertThat(entries).as(failures.toString()).hasSize(3).allMatch(
                line -> line.matches("    " + when + "  rejected:\\S+ +\\S.* +" + ofTheIngest + " +\\S.*"),
                "each: when, class, item, the ingest's execution, message");
        assertThat(entries).anyMatch(line -> line.matches(".*rejected:" + cutReason + " +hostile/cut\\.jpg +execution .*"));
        assertThat(entries).anyMatch(line -> line.matches(".*rejected:type-not-allowed +hostile/notes[\ufffd?]\\[31m\\.jpg +execution .*"));
        // the quarantined upload's row is gone with the job's last step; its entry kept the name
        assertThat(entries).anyMatch(line -> line.matches(
                ".*rejected:infected +invoice\\.pdf +execution .*MediaPipeline\\.Test\\.EICAR.*quarantine/[0-9a-f]{64}.*"));
    }

    private static String classLine(String failureClass, int count) {
        return failureClass + " " + count;
    }

    /**
     * The lines under a heading, up to the first that is not indented under it; class lines
     * ({@code "    rejected:infected   1"}) squeezed to one space for comparison.
     */
    private static List<String> section(String output, String heading) {
        List<String> lines = output.lines().toList();
        int start = lines.indexOf(heading);
        assertThat(start).as("'" + heading + "' in\n" + output).isNotNegative();
        List<String> section = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.startsWith("    ")) {
                break;
            }
            section.add(heading.endsWith("classes:") ? line.strip().replaceAll(" +", " ") : line);
        }
        return section;
    }

    /** What a run printed: its report on standard output, its warnings (and a usage error) on standard error. */
    private record Run(int status, String output, String errors) {

        @Override
        public String toString() {
            return "exit status " + status + "\n" + output + "\nstandard error:\n" + errors;
        }
    }

    /** {@code media ARGS...} in a JVM of its own on this context's PostgreSQL, S3 and clamd, under {@code home}. */
    private Run media(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                dev.mediapipeline.MediaPipelineApplication.class.getName()));
        command.addAll(List.of(args));
        command.addAll(serviceArgs(home, postgres.jdbcUrl(), postgres.username(), s3Server.endpoint()));
        Path out = Files.createTempFile(home, args[0] + "-", ".out");
        Path err = Files.createTempFile(home, args[0] + "-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        Run run = new Run(ended ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
        assertThat(ended).as("media " + args[0] + " ended within 5 minutes: " + run).isTrue();
        return run;
    }
}
