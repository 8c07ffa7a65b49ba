package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.staging.StagingException;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Restart, way (a): S3 fails for one item in the middle of one partition. The job FAILS with the
 * items before it committed; the same instance, restarted, processes only the rest; every upload
 * ends published exactly once, with no row or object twice.
 */
@SpringBootTest(classes = {IngestTestApplication.class, IngestRestartAfterFaultTest.Faults.class}, properties = {
        "media.ingest.grid-size=2", "media.ingest.chunk-size=1", "media.ingest.retries=1", "media.ingest.retry-delay=10ms",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestRestartAfterFaultTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("media.home", HOME::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
    }

    @TestConfiguration
    static class Faults {
        @Bean
        static BeanPostProcessor injectS3Faults() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof ObjectStore store && !(bean instanceof FaultInjectingObjectStore)
                            ? new FaultInjectingObjectStore(store) : bean;
                }
            };
        }
    }


    @Test
    void aFailedPartitionRestartsWithOnlyTheRest() throws Exception {
        Map<UUID, Path> photos = new LinkedHashMap<>();
        for (Path photo : jpegs(0, 16)) {
            photos.put(TestUploads.stage(staging, photo).id(), photo);
        }
        FaultInjectingObjectStore faults = (FaultInjectingObjectStore) store;
        faults.failAfterOriginalsOnOneThread(3); // 16 items in 2 partitions: one has at least 8

        var parameters = new JobParametersBuilder().addString("run", UUID.randomUUID().toString()).toJobParameters();
        JobExecution failed = jobOperator.start(mediaIngest, parameters);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        long instance = failed.getJobInstance().getInstanceId();
        String victimSha = faults.failedKey().substring(faults.failedKey().lastIndexOf('/') + 1);
        UUID victim = photos.entrySet().stream().filter(e -> sha256(e.getValue()).equals(victimSha)).findFirst().orElseThrow().getKey();
        int victimPartition = jdbc.sql("select partition_index from ingest_item where upload_id = ?").param(victim)
                .query(Integer.class).single();
        // the victim's partition: committed up to the victim, pending from it on; the other partition: all done
        List<UUID> partition = jdbc.sql("select upload_id from ingest_item where job_instance_id = ? and partition_index = ? order by upload_id")
                .params(instance, victimPartition).query(UUID.class).list();
        int at = partition.indexOf(victim);
        assertThat(at).as("the fault came after three of the partition's items").isEqualTo(3);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < partition.size(); i++) {
            expected.add(i < at ? "PUBLISHED" : "PENDING");
        }
        assertThat(states(instance, victimPartition)).containsExactlyElementsOf(expected);
        assertThat(states(instance, 1 - victimPartition)).containsOnly("PUBLISHED");
        long pending = partition.size() - at;
        assertThat(published(photos.keySet())).isEqualTo(photos.size() - pending);

        // between the failed run and its restart a client adds an upload, and tries to remove one the batch holds
        Path another;
        try (Stream<Path> files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            another = files.sorted().skip(16).findFirst().orElseThrow();
        }
        UUID added = TestUploads.stage(staging, another).id();
        UUID held = partition.get(at);
        assertThatThrownBy(() -> staging.terminate(held)).as("an upload the batch holds cannot be removed under it")
                .isInstanceOfSatisfying(StagingException.class, e -> assertThat(e.problem()).isEqualTo(StagingException.Problem.INGESTING));
        assertThat(staging.find(held)).isPresent();
        List<UUID> frozen = frozen(instance);

        faults.heal();
        JobExecution restarted = jobOperator.restart(failed);
        assertThat(frozen(instance)).as("the restart's batch is the one frozen before it").isEqualTo(frozen);
        assertThat(jdbc.sql("select count(*) from ingest_item where upload_id = ?").param(added).query(Long.class).single())
                .as("the upload added in between waits for the next run").isZero();
        staging.terminate(added); // and, held by no ingest, it can be removed
        assertThat(staging.find(added)).isEmpty();

        assertThat(restarted.getStatus()).as(restarted.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(instance);
        long rewritten = restarted.getStepExecutions().stream().filter(s -> s.getStepName().startsWith("ingestPartition:"))
                .mapToLong(StepExecution::getWriteCount).sum();
        assertThat(rewritten).as("only the items the failed run left pending").isEqualTo(pending);
        assertThat(published(photos.keySet())).isEqualTo(16);

        // no row twice, no object twice, every counted reference real
        Set<String> keys = new HashSet<>(store.list(s3.buckets().published(), ""));
        List<Map<String, Object>> files = jdbc.sql("""
                select f.object_key, f.ref_count,
                       (select count(*) from asset_version v where v.original_sha256 = f.sha256)
                     + (select count(*) from rendition r where r.sha256 = f.sha256) as refs
                from file_ref f where f.bucket = ? and exists (
                    select 1 from asset_version v where v.asset_id = any(?) and (v.original_sha256 = f.sha256
                        or exists (select 1 from rendition r where r.asset_id = v.asset_id and r.sha256 = f.sha256)))""")
                .params(s3.buckets().published(), photos.keySet().toArray(UUID[]::new)).query().listOfRows();
        assertThat(files).isNotEmpty();
        for (Map<String, Object> file : files) {
            assertThat(keys).contains((String) file.get("object_key"));
            assertThat(((Number) file.get("ref_count")).longValue()).isEqualTo(((Number) file.get("refs")).longValue());
        }
        assertThat(keys).hasSameSizeAs(files);
    }

    private List<UUID> frozen(long instance) {
        return jdbc.sql("select upload_id from ingest_item where job_instance_id = ? order by upload_id").param(instance)
                .query(UUID.class).list();
    }

    private List<String> states(long instance, int partition) {
        return jdbc.sql("select state from ingest_item where job_instance_id = ? and partition_index = ? order by upload_id")
                .params(instance, partition).query(String.class).list();
    }

    private long published(Set<UUID> uploads) {
        return jdbc.sql("select count(*) from asset_version where asset_id = any(?)").param(uploads.toArray(UUID[]::new))
                .query(Long.class).single();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
