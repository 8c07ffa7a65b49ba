package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL refuses a chunk's commit after its objects are in S3 (a deferred constraint trigger
 * raises at COMMIT: the database itself fails the commit, as a lost connection or a full disk
 * would). The job fails; its restart publishes the item once: one row, and its objects once (the
 * keys are content addresses, written if absent), every object referenced by a row.
 */
@SpringBootTest(classes = IngestTestApplication.class, properties = {"media.ingest.grid-size=1", "media.ingest.threads=1",
        "media.ingest.chunk-size=1", "media.ingest.retries=1", "media.ingest.retry-delay=10ms",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestCommitFailureTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("media.home", HOME::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
    }


    @Test
    void aCommitRefusedAfterTheObjectsAreWrittenIsRerunIntoOneRowAndNoSecondObject() throws Exception {
        List<Path> photos;
        photos = jpegs(20, 4);
        List<UUID> uploads = new ArrayList<>();
        for (Path photo : photos) {
            uploads.add(TestUploads.stage(staging, photo).id());
        }
        String victim = sha256(photos.get(2));
        UUID victimAsset = uploads.get(2); // an asset's id is its upload's
        jdbc.sql("create table test_refused_commit (sha256 text primary key)").update();
        jdbc.sql("""
                create function test_refuse_commit() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from test_refused_commit where sha256 = new.original_sha256) then
                        raise exception 'the commit of asset % is refused by the test', new.asset_id;
                    end if;
                    return null;
                end $$""").update();
        jdbc.sql("""
                create constraint trigger test_refuse_commit after insert on asset_version
                deferrable initially deferred for each row execute function test_refuse_commit()""").update();
        try {
            jdbc.sql("insert into test_refused_commit values (?)").param(victim).update();
            JobExecution failed = jobOperator.start(mediaIngest,
                    new JobParametersBuilder().addString("run", UUID.randomUUID().toString()).toJobParameters());

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            StringBuilder causes = new StringBuilder();
            for (Throwable t : failed.getAllFailureExceptions()) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    causes.append(c).append('\n');
                }
            }
            assertThat(causes.toString()).contains("JDBC commit failed").contains("refused by the test");
            assertThat(versions(victimAsset)).as("its rows were rolled back").isZero();
            assertThat(store.list(s3.buckets().published(), "").stream().filter(k -> k.endsWith(victim)))
                    .as("its original was written before the commit").hasSize(1);

            jdbc.sql("delete from test_refused_commit").update();
            JobExecution restarted = jobOperator.restart(failed);
            assertThat(restarted.getStatus()).as(restarted.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        } finally {
            jdbc.sql("drop trigger if exists test_refuse_commit on asset_version").update();
            jdbc.sql("drop function if exists test_refuse_commit()").update();
            jdbc.sql("drop table if exists test_refused_commit").update();
        }
        assertThat(versions(victimAsset)).as("one row for the item").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from asset_version where asset_id = any(?)").param(uploads.toArray(UUID[]::new))
                .query(Long.class).single()).as("every photo published once").isEqualTo(4);

        // every object in the bucket is a row's, once; every row's object is there; reference counts exact
        List<String> keys = store.list(s3.buckets().published(), "");
        assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);
        List<Map<String, Object>> files = jdbc.sql("""
                select f.object_key, f.ref_count,
                       (select count(*) from asset_version v where v.original_sha256 = f.sha256)
                     + (select count(*) from rendition r where r.sha256 = f.sha256) as refs
                from file_ref f where f.bucket = ?""").param(s3.buckets().published()).query().listOfRows();
        Set<String> referenced = new HashSet<>();
        for (Map<String, Object> file : files) {
            if (((Number) file.get("refs")).longValue() > 0 && keys.contains((String) file.get("object_key"))) {
                referenced.add((String) file.get("object_key"));
                assertThat(((Number) file.get("ref_count")).longValue()).as((String) file.get("object_key"))
                        .isEqualTo(((Number) file.get("refs")).longValue());
            }
        }
        assertThat(referenced).as("this test's bucket holds only referenced objects").containsExactlyInAnyOrderElementsOf(keys);
    }

    private long versions(UUID asset) {
        return jdbc.sql("select count(*) from asset_version where asset_id = ?").param(asset).query(Long.class).single();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
