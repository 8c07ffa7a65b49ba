package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Restart, way (b): a child JVM running the job is killed with SIGKILL mid-partition. Its
 * execution stays STARTED; it is recovered and restarted here; every upload ends published once,
 * with no row or object twice.
 */
@SpringBootTest(classes = IngestTestApplication.class, properties = {"media.ingest.grid-size=2", "media.ingest.chunk-size=1",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestRestartAfterKillTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        childJvmServices(registry, HOME);
    }


    @Test
    void aKilledRunIsRecoveredAndFinishedExactlyOnce() throws Exception {
        List<UUID> uploads = new ArrayList<>();
        for (Path photo : jpegs(10, 16)) {
            uploads.add(TestUploads.stage(staging, photo).id());
        }
        UUID[] ids = uploads.toArray(UUID[]::new);

        Process child = ChildJvm.start(HOME, List.of(), "--media.ingest.grid-size=2", "--media.ingest.chunk-size=1");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long done = 0;
        while (done < 4 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(50);
            done = jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state <> 'PENDING'").param(ids)
                    .query(Long.class).single();
        }
        assertThat(child.isAlive()).as("the child is still running: " + ChildJvm.log(HOME)).isTrue();
        child.destroyForcibly(); // SIGKILL, mid-partition
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long pending = jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state = 'PENDING'").param(ids)
                .query(Long.class).single();
        assertThat(pending).as("killed half way").isPositive().isLessThan(uploads.size());

        JobInstance instance = jobRepository.getLastJobInstance(IngestJobConfiguration.JOB);
        JobExecution killed = jobRepository.getLastJobExecution(instance);
        assertThat(killed.getStatus()).as("a killed execution stays STARTED").isEqualTo(BatchStatus.STARTED);

        JobExecution recovered = jobOperator.recover(killed);
        assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
        JobExecution restarted = jobOperator.restart(recovered);

        assertThat(restarted.getStatus()).as(restarted.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        long rewritten = restarted.getStepExecutions().stream().filter(s -> s.getStepName().startsWith("ingestPartition:"))
                .mapToLong(StepExecution::getWriteCount).sum();
        assertThat(rewritten).as("only what the killed run had not committed").isEqualTo(pending);
        assertThat(jdbc.sql("select count(*) from asset_version where asset_id = any(?)").param(ids).query(Long.class).single())
                .isEqualTo(uploads.size());
        assertThat(jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state = 'PUBLISHED'").param(ids)
                .query(Long.class).single()).isEqualTo(uploads.size());

        // the S3 here is S3Proxy's filesystem store inside the killed JVM: it writes an object to <key>-<uuid>
        // and renames it, so a kill in the middle of a PUT leaves that temporary file, listed as an object.
        // A real S3 stores nothing of an interrupted PUT; such leftovers are the test store's, not ours
        Set<String> keys = new HashSet<>(store.list(s3.buckets().published(), ""));
        keys.removeIf(key -> key.matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
        List<Map<String, Object>> files = jdbc.sql("""
                select f.object_key, f.ref_count,
                       (select count(*) from asset_version v where v.original_sha256 = f.sha256)
                     + (select count(*) from rendition r where r.sha256 = f.sha256) as refs
                from file_ref f where exists (
                    select 1 from asset_version v where v.asset_id = any(?) and (v.original_sha256 = f.sha256
                        or exists (select 1 from rendition r where r.asset_id = v.asset_id and r.sha256 = f.sha256)))""")
                .param(ids).query().listOfRows();
        for (Map<String, Object> file : files) {
            assertThat(keys).contains((String) file.get("object_key"));
            assertThat(((Number) file.get("ref_count")).longValue()).isEqualTo(((Number) file.get("refs")).longValue());
        }
        assertThat(keys).as("no object published twice or left over").hasSameSizeAs(files);
    }
}
