package dev.mediapipeline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The fuzz command's fixed sample in the regular suite: 12 corpus files (photos of every format and
 * a video) mutated 6 ways each with a fixed seed, ingested by {@code media fuzz} in a JVM of its own
 * with a 256 MB heap, on this context's PostgreSQL, S3 and clamd. No crash, no hang; every mutant
 * ends published, or rejected with a reason in the ledger. ({@code ./media fuzz} runs the full set.)
 */
class FuzzCommandTest extends AppTestBase {

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void mutatedCorpusSampleEndsPublishedOrRejectedWithAReason() throws Exception {
        Path home = Files.createTempDirectory(MEDIA_HOME.getParent(), "fuzz-home-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                dev.mediapipeline.MediaPipelineApplication.class.getName(), "fuzz", "--files", "12", "--per-file", "6", "--seed", "7",
                "--corpus", TestServices.corpus().toString()));
        command.addAll(serviceArgs(home, postgres.jdbcUrl(), postgres.username(), s3Server.endpoint()));
        Path log = home.resolve("fuzz.log");
        Process fuzz = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = fuzz.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            fuzz.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("the fuzz run ended within 10 minutes:\n" + output).isTrue();
        assertThat(fuzz.exitValue()).as(output).isZero();
        assertThat(output).contains("fuzz: 72 mutants of 12 corpus files").containsPattern("crashes +0\\b").containsPattern("hangs +0\\b")
                .doesNotContain("OutOfMemoryError");

        long instance = jdbc.sql("""
                select e.job_instance_id from batch_job_execution e join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                where p.parameter_name = 'tenant' and p.parameter_value = (select id::text from tenant where name = 'fuzz')
                order by e.job_execution_id desc limit 1""").query(Long.class).single();
        Map<String, Object> items = jdbc.sql("""
                select count(*) as total, count(*) filter (where state = 'PUBLISHED') as published,
                       count(*) filter (where state = 'REJECTED' and exists (select 1 from ingest_rejection r
                           where r.upload_id = i.upload_id and r.reason <> '')) as rejected
                from ingest_item i where job_instance_id = ?""").param(instance).query().singleRow();
        assertThat(((Number) items.get("total")).longValue()).isEqualTo(72);
        assertThat(((Number) items.get("published")).longValue() + ((Number) items.get("rejected")).longValue())
                .as("every mutant published, or rejected with a reason: " + items).isEqualTo(72);
        assertThat(jdbc.sql("select status from batch_job_execution where job_instance_id = ?").param(instance).query(String.class).list())
                .containsExactly("COMPLETED");
        assertThat(output).as("the sample's rejections are printed by reason").containsPattern("rejected +\\d+ \\(with a reason\\)");
    }
}
