package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SIGTERM to a JVM running the job (a rolling restart, a container stop): the execution ends
 * STOPPED after the partitions' current chunks, within the grace period, instead of being left
 * STARTED; a restart, with no recover, finishes the rest, every upload published once.
 */
@SpringBootTest(classes = IngestTestApplication.class, properties = {"media.ingest.grid-size=2", "media.ingest.chunk-size=1",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestSigtermTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        childJvmServices(registry, HOME);
    }


    @Test
    void sigtermStopsTheExecutionGracefullyAndARestartFinishesIt() throws Exception {
        List<UUID> uploads = new ArrayList<>();
        for (Path photo : jpegs(4, 16)) {
            uploads.add(TestUploads.stage(staging, photo).id());
        }
        UUID[] ids = uploads.toArray(UUID[]::new);
        Process child = ChildJvm.start(HOME, List.of(), "--media.ingest.grid-size=2", "--media.ingest.chunk-size=1",
                "--media.jobs.shutdown-grace=60s");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long done = 0;
        while (done < 3 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(50);
            done = jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state <> 'PENDING'").param(ids)
                    .query(Long.class).single();
        }
        assertThat(child.isAlive()).as("the child is still running: " + ChildJvm.log(HOME)).isTrue();
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child shut down within the grace period").isTrue();
        String log = ChildJvm.log(HOME);

        JobExecution stopped = jobRepository.getLastJobExecution(jobRepository.getLastJobInstance(IngestJobConfiguration.JOB));
        assertThat(stopped.getStatus()).as("stopped, not left STARTED:\n" + log).isEqualTo(BatchStatus.STOPPED);
        assertThat(log).contains("asked to stop after its current chunk");
        long pending = jdbc.sql("select count(*) from ingest_item where upload_id = any(?) and state = 'PENDING'").param(ids)
                .query(Long.class).single();
        assertThat(pending).as("it stopped half way").isPositive().isLessThan(uploads.size());

        JobExecution restarted = jobOperator.restart(stopped);
        assertThat(restarted.getStatus()).as(restarted.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        String outcomes = jdbc.sql("""
                select i.state, coalesce(r.reason, '') as reason, min(r.message) as message, r.job_execution_id, count(*) as n from ingest_item i
                left join ingest_rejection r on r.upload_id = i.upload_id
                where i.upload_id = any(?) group by i.state, r.reason, r.job_execution_id""").param(ids).query().listOfRows().toString();
        assertThat(jdbc.sql("select count(*) from asset_version where asset_id = any(?)").param(ids).query(Long.class).single())
                .as("every upload published, none twice: " + outcomes + "\n" + log).isEqualTo(uploads.size());
    }
}
