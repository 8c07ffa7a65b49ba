package dev.mediapipeline.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.storage.ContentAddress;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.core.testing.FaultyS3Proxy;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * S3 and the network misbehaving under the real ingest job: the job's S3 client talks to the
 * embedded S3Proxy through a {@link FaultyS3Proxy}, which answers several PUTs into the published
 * bucket with 503 SlowDown and cuts one GET of a staged chunk half way. Both are service faults,
 * retried (by the SDK, then by the step): the job COMPLETES, every photo is published exactly once,
 * rows and objects, none is rejected or failed, and the proxy did serve the faults.
 */
@SpringBootTest(classes = {IngestTestApplication.class, IngestS3FaultsTest.ThroughFaultyProxy.class}, properties = {
        "media.ingest.grid-size=2", "media.ingest.chunk-size=1", "media.ingest.retries=5", "media.ingest.retry-delay=10ms",
        "spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=never"})
class IngestS3FaultsTest extends IngestJobTestBase {

    static final Path HOME = IngestJobTest.newHome();
    static final int SLOW_DOWNS = 4;
    static final long CUT_AFTER = 1000;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("media.home", HOME::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
    }

    /** The test application's embedded S3, reached through the faulty proxy: every S3 client of the context uses its endpoint. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ThroughFaultyProxy {

        @Bean(destroyMethod = "close")
        FaultyS3Proxy faultyS3Proxy(EmbeddedS3Server server) {
            return FaultyS3Proxy.start(server.endpoint());
        }

        @Bean
        static BeanPostProcessor routeS3ThroughFaultyProxy(ObjectProvider<FaultyS3Proxy> proxy) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof EmbeddedS3Endpoint direct
                            ? new EmbeddedS3Endpoint(proxy.getObject().endpoint(), direct.accessKey(), direct.secretKey())
                            : bean;
                }
            };
        }
    }

    @Autowired
    FaultyS3Proxy proxy;

    @Test
    void slowDownsAndACutDownloadAreRetriedAndEveryPhotoIsPublishedOnce() throws Exception {
        Map<UUID, Path> photos = new LinkedHashMap<>();
        for (Path photo : jpegs(0, 12)) {
            photos.put(TestUploads.stage(staging, photo).id(), photo);
        }
        UUID[] ids = photos.keySet().toArray(UUID[]::new);
        proxy.slowDown(SLOW_DOWNS, FaultyS3Proxy.matching("PUT", "/" + s3.buckets().published() + "/"));
        proxy.cutNextGet(FaultyS3Proxy.matching("GET", "/" + s3.buckets().staging() + "/uploads/"), CUT_AFTER);

        JobExecution execution = jobOperator.start(mediaIngest,
                new JobParametersBuilder().addString("run", UUID.randomUUID().toString()).toJobParameters());

        assertThat(execution.getStatus()).as(execution.getAllFailureExceptions().toString()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(proxy.slowDownsServed()).as(proxy.served().toString()).isEqualTo(SLOW_DOWNS);
        assertThat(proxy.cutsServed()).as(proxy.served().toString()).isEqualTo(1);
        assertThat(proxy.served()).anyMatch(fault -> fault.startsWith("cut GET /" + s3.buckets().staging() + "/uploads/"));

        // every photo published once: one version each, none refused, none failed, every item PUBLISHED
        List<Long> versions = jdbc.sql("select count(*) from asset_version where asset_id = any(?) group by asset_id")
                .param(ids).query(Long.class).list();
        assertThat(versions).hasSize(photos.size()).containsOnly(1L);
        assertThat(jdbc.sql("select count(*) from ingest_rejection where upload_id = any(?)").param(ids).query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from failure_ledger where item_id = any(?)").param(ids).query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select state from ingest_item where upload_id = any(?)").param(ids).query(String.class).list())
                .hasSize(photos.size()).containsOnly("PUBLISHED");

        // every original is in the bucket under its address, and the bucket holds each referenced file once, nothing else
        Set<String> keys = new HashSet<>(store.list(s3.buckets().published(), ""));
        for (Path photo : photos.values()) {
            assertThat(keys).as(photo.toString()).contains(ContentAddress.original(Sha256.ofFile(photo)));
        }
        List<Map<String, Object>> files = jdbc.sql("""
                select f.object_key, f.ref_count,
                       (select count(*) from asset_version v where v.original_sha256 = f.sha256)
                     + (select count(*) from rendition r where r.sha256 = f.sha256) as refs
                from file_ref f where f.bucket = ? and exists (
                    select 1 from asset_version v where v.asset_id = any(?) and (v.original_sha256 = f.sha256
                        or exists (select 1 from rendition r where r.asset_id = v.asset_id and r.sha256 = f.sha256)))""")
                .params(s3.buckets().published(), ids).query().listOfRows();
        assertThat(files).isNotEmpty();
        for (Map<String, Object> file : files) {
            assertThat(keys).contains((String) file.get("object_key"));
            assertThat(((Number) file.get("ref_count")).longValue()).isEqualTo(((Number) file.get("refs")).longValue());
        }
        assertThat(keys).hasSameSizeAs(files);
    }
}
