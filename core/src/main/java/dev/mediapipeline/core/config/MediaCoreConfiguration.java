package dev.mediapipeline.core.config;

import dev.mediapipeline.core.download.DownloadBatch;
import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.migration.MigrationBatch;
import dev.mediapipeline.core.scan.ClamdProperties;
import dev.mediapipeline.core.scan.ClamdScanner;
import dev.mediapipeline.core.scan.VirusScanner;
import dev.mediapipeline.core.staging.StagingProperties;
import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.staging.UploadRepository;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Clients;
import dev.mediapipeline.core.storage.S3ObjectStore;
import dev.mediapipeline.core.storage.S3Properties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The kernel's beans: object store, virus scanner, staging. Every stage of every job shares these. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({MediaProperties.class, S3Properties.class, ClamdProperties.class, StagingProperties.class})
public class MediaCoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Properties s3, ObjectProvider<EmbeddedS3Endpoint> embedded,
            ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
        var counted = new dev.mediapipeline.core.storage.S3RequestCounter(
                registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
        EmbeddedS3Endpoint local = embedded.getIfAvailable();
        if (local != null) {
            return S3Clients.create(local.endpoint(), s3.region(), true, local.accessKey(), local.secretKey(), counted);
        }
        return S3Clients.create(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey(), counted);
    }

    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(S3Properties s3, ObjectProvider<EmbeddedS3Endpoint> embedded) {
        EmbeddedS3Endpoint local = embedded.getIfAvailable();
        if (local != null) {
            return S3Clients.presigner(local.endpoint(), s3.region(), true, local.accessKey(), local.secretKey());
        }
        return S3Clients.presigner(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey());
    }

    @Bean
    ObjectStore objectStore(S3Client s3Client, S3Presigner s3Presigner, S3Properties s3, ObjectProvider<EmbeddedS3Endpoint> embedded) {
        S3Properties effective = s3;
        if (embedded.getIfAvailable() != null) {
            // the embedded S3Proxy implements no lifecycle rules (501, and an ERROR line in its log): none are asked of it
            effective = new S3Properties(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey(), s3.createBuckets(),
                    s3.buckets(), s3.checksums(), new S3Properties.Lifecycle(false, s3.lifecycle().abortIncompleteUploadsAfter(),
                            s3.lifecycle().stagingExpiry()));
        }
        S3ObjectStore store = new S3ObjectStore(s3Client, s3Presigner, effective);
        if (s3.createBuckets()) {
            store.ensureBucket(s3.buckets().staging()); // as STAGING when it is a bucket of its own
            store.ensureBucket(s3.buckets().published());
            store.ensureBucket(s3.buckets().quarantine());
        }
        return store;
    }

    @Bean
    VirusScanner virusScanner(ClamdProperties clamd, dev.mediapipeline.core.metrics.PipelineMetrics metrics) {
        return new dev.mediapipeline.core.scan.MeteredScanner(new ClamdScanner(clamd), metrics);
    }

    /** Run before every ingest: clamd must never answer OK to what it did not scan. */
    @Bean
    dev.mediapipeline.core.scan.ScannerLimitsCheck scannerLimitsCheck(VirusScanner scanner, ClamdProperties clamd, JdbcClient jdbc) {
        // the check speaks to clamd, the only scanner there is; with another it could only be turned off
        return new dev.mediapipeline.core.scan.ScannerLimitsCheck(
                (scanner instanceof dev.mediapipeline.core.scan.MeteredScanner metered ? metered.delegate() : scanner) instanceof ClamdScanner c
                        ? c : null, clamd, jdbc);
    }

    @Bean
    UploadRepository uploadRepository(JdbcClient jdbcClient, TransactionTemplate transactionTemplate) {
        return new UploadRepository(jdbcClient, transactionTemplate);
    }

    @Bean
    IngestBatch ingestBatch(JdbcClient jdbcClient, UploadRepository uploads) {
        return new IngestBatch(jdbcClient, uploads);
    }

    @Bean
    FailureLedger failureLedger(JdbcClient jdbcClient) {
        return new FailureLedger(jdbcClient);
    }

    @Bean
    DownloadBatch downloadBatch(JdbcClient jdbcClient) {
        return new DownloadBatch(jdbcClient);
    }

    @Bean
    MigrationBatch migrationBatch(JdbcClient jdbcClient) {
        return new MigrationBatch(jdbcClient);
    }

    @Bean
    dev.mediapipeline.core.asset.Assets assets(JdbcClient jdbcClient) {
        return new dev.mediapipeline.core.asset.Assets(jdbcClient);
    }

    /**
     * The pipeline's metrics, in the application's registry (a plain one where no registry is
     * configured), with the gauges read from the database at each scrape: uploads in progress and
     * complete but not yet ingested, their bytes, and items waiting in frozen batches.
     */
    @Bean
    dev.mediapipeline.core.metrics.PipelineMetrics pipelineMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
            JdbcClient jdbcClient) {
        var metrics = new dev.mediapipeline.core.metrics.PipelineMetrics(
                registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
        metrics.gauge("media.uploads.active", "Staged uploads in progress", "uploads",
                () -> jdbcClient.sql("select count(*) from upload where status = 'IN_PROGRESS'").query(Long.class).single());
        metrics.gauge("media.uploads.pending", "Bytes of complete uploads waiting for an ingest to finish them", "bytes",
                () -> jdbcClient.sql("""
                        select coalesce(sum(u.upload_length), 0) from upload u
                        where u.status = 'COMPLETE' and not exists (select 1 from ingest_item i where i.upload_id = u.id and i.state <> 'PENDING')""")
                        .query(Long.class).single());
        metrics.gauge("media.items.pending", "Items of frozen ingest batches not yet published or refused", "items",
                () -> jdbcClient.sql("select count(*) from ingest_item where state = 'PENDING'").query(Long.class).single());
        return metrics;
    }

    /** The CDN purges of asset changes: every configured {@link dev.mediapipeline.core.cdn.Purger} (none: nothing recorded). */
    @Bean(destroyMethod = "close")
    dev.mediapipeline.core.cdn.PurgeQueue purgeQueue(JdbcClient jdbcClient, ObjectProvider<dev.mediapipeline.core.cdn.Purger> purgers,
            dev.mediapipeline.core.metrics.PipelineMetrics metrics) {
        return new dev.mediapipeline.core.cdn.PurgeQueue(jdbcClient, purgers.orderedStream().toList(), metrics);
    }

    @Bean
    dev.mediapipeline.core.asset.AssetLifecycle assetLifecycle(JdbcClient jdbcClient, TransactionTemplate transactions,
            dev.mediapipeline.core.cdn.PurgeQueue purges, ObjectStore objectStore) {
        return new dev.mediapipeline.core.asset.AssetLifecycle(jdbcClient, transactions, purges, objectStore);
    }

    @Bean
    dev.mediapipeline.core.tenant.Tenants tenants(JdbcClient jdbcClient, Clock clock) {
        return new dev.mediapipeline.core.tenant.Tenants(jdbcClient, clock);
    }

    @Bean
    StagingService stagingService(UploadRepository uploads, ObjectStore objectStore, S3Properties s3,
            StagingProperties staging, MediaProperties media, Clock clock) {
        return new StagingService(uploads, objectStore, s3.buckets().staging(), staging, media.tempDirectory(), clock);
    }
}
