package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.jobs.control.LocalExecutions;
import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.media.IngestLimits;
import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.scan.VirusScanner;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Properties;
import dev.mediapipeline.processors.assemble.AssembleProcessor;
import dev.mediapipeline.processors.render.ImageRenditionsProcessor;
import dev.mediapipeline.processors.scan.ScanProcessor;
import dev.mediapipeline.processors.route.MediaTypeRouter;
import dev.mediapipeline.processors.validate.ValidateProcessor;
import dev.mediapipeline.processors.video.Ffmpeg;
import dev.mediapipeline.processors.video.FfmpegTranscoder;
import dev.mediapipeline.processors.video.VideoPackagingProcessor;
import dev.mediapipeline.processors.video.VideoProbeProcessor;
import dev.mediapipeline.readers.FrozenBatchPartitioner;
import dev.mediapipeline.readers.StagedUploadReader;
import dev.mediapipeline.writers.AssetMetadataWriter;
import dev.mediapipeline.writers.ContentAddressedObjectWriter;
import dev.mediapipeline.writers.FailureRecorder;
import dev.mediapipeline.writers.IngestStateWriter;
import dev.mediapipeline.writers.RejectionRecorder;
import dev.mediapipeline.writers.StreamMetadataWriter;
import dev.mediapipeline.writers.StreamObjectWriter;
import dev.mediapipeline.writers.WorkspaceCleanupWriter;
import java.util.UUID;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.support.CompositeItemProcessor;
import org.springframework.batch.infrastructure.item.support.CompositeItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import dev.mediapipeline.core.metrics.PipelineMetrics;
import dev.mediapipeline.jobs.control.Stages;
import dev.mediapipeline.writers.OutcomeMetricsWriter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: freeze the COMPLETE uploads into this instance's batch, ingest its partitions
 * in parallel (assemble, scan, validate, render; publish objects and rows), then remove the
 * finished items' staging data. Rejected items are recorded and skipped; transient faults are
 * retried with backoff; anything else fails the job, which restarts where it stopped.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.context.annotation.Import({dev.mediapipeline.jobs.control.JobLifecycleConfiguration.class,
        dev.mediapipeline.jobs.remote.RemotePartitioningConfiguration.class})
@EnableConfigurationProperties({IngestProperties.class, IngestLimits.class, RenditionProfile.class, VideoProfile.class})
public class IngestJobConfiguration {

    public static final String JOB = "mediaIngest";

    /** run, businessDate, schedule and tenant: a tenant's launch freezes only that tenant's uploads */
    @Bean
    JobDeclaration mediaIngestParameters() {
        return new JobDeclaration(JOB, JobDeclaration.common(), true);
    }

    @Bean
    Job mediaIngest(JobRepository jobs, Step checkScanner, Step freezeUploads, Step ingestPartitions, Step cleanStaging,
            LocalExecutions local) {
        return new JobBuilder(JOB, jobs).listener(local).start(checkScanner).next(freezeUploads).next(ingestPartitions).next(cleanStaging)
                .build();
    }

    /**
     * Before anything is frozen: clamd must never answer OK to what it did not scan
     * ({@link dev.mediapipeline.core.scan.ScannerLimitsCheck}); otherwise the ingest does not start
     * (FAILED with the reason and how to fix clamd's configuration). Run again by a restart.
     */
    @Bean
    Step checkScanner(JobRepository jobs, PlatformTransactionManager transactions, dev.mediapipeline.core.scan.ScannerLimitsCheck check) {
        return new StepBuilder("checkScanner", jobs).tasklet((contribution, context) -> {
            check.verify();
            return RepeatStatus.FINISHED;
        }, transactions).allowStartIfComplete(true).build();
    }

    @Bean
    Step freezeUploads(JobRepository jobs, PlatformTransactionManager transactions, IngestBatch batch, IngestProperties ingest) {
        return new StepBuilder("freezeUploads", jobs).tasklet((contribution, context) -> {
            var execution = context.getStepContext().getStepExecution().getJobExecution();
            contribution.incrementWriteCount(batch.freeze(execution.getJobInstance().getInstanceId(), ingest.partitions(),
                    JobDeclaration.tenantOf(execution.getJobParameters())));
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step ingestPartitions(JobRepository jobs, FrozenBatchPartitioner frozenBatchPartitioner, Step ingestPartition,
            IngestProperties ingest, dev.mediapipeline.jobs.remote.Partitions partitions) {
        return ItemSteps.partitioned("ingestPartitions", "ingest-", jobs, frozenBatchPartitioner, ingestPartition, ingest, partitions);
    }

    @Bean
    @StepScope
    FrozenBatchPartitioner frozenBatchPartitioner(IngestBatch batch,
            @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") long jobInstanceId) {
        return new FrozenBatchPartitioner(batch, jobInstanceId);
    }

    @Bean
    Step ingestPartition(JobRepository jobs, PlatformTransactionManager transactions, StagedUploadReader stagedUploadReader,
            ItemProcessor<StagedUpload, Rendered> ingestProcessor, ItemWriter<Rendered> publishWriter,
            RejectionRecorder rejectionRecorder, FailureRecorder ingestFailureRecorder, IngestProperties ingest,
            dev.mediapipeline.jobs.control.ItemClock clock) {
        return ItemSteps.itemStep("ingestPartition", jobs, transactions, ingest, stagedUploadReader, ingestProcessor, publishWriter,
                rejectionRecorder, ingestFailureRecorder, clock);
    }

    @Bean
    @StepScope
    StagedUploadReader stagedUploadReader(IngestBatch batch,
            @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") long jobInstanceId,
            @Value("#{stepExecutionContext['" + FrozenBatchPartitioner.PARTITION + "']}") int partition) {
        return new StagedUploadReader(batch, jobInstanceId, partition);
    }

    @Bean
    ItemProcessor<StagedUpload, Rendered> ingestProcessor(ObjectStore store, S3Properties s3, VirusScanner scanner,
            IngestLimits limits, RenditionProfile profile, VideoProfile video, MediaProperties media, PipelineMetrics metrics) {
        ImageRenditionsProcessor renditions = new ImageRenditionsProcessor(profile, media.tempDirectory(), metrics::encoded);
        ItemProcessor<ScannedFile, Rendered> images = new CompositeItemProcessor<>(
                Stages.timed(metrics, "validate", new ValidateProcessor(limits)), Stages.timed(metrics, "render", renditions));
        Ffmpeg ffmpeg = Ffmpeg.find(video); // optional: transcodes what cannot be packaged as it is, and encodes ladders
        ItemProcessor<ScannedFile, Rendered> videos = new CompositeItemProcessor<>(
                Stages.timed(metrics, "probe", new VideoProbeProcessor(video, ffmpeg == null ? null : new FfmpegTranscoder(ffmpeg))),
                Stages.timed(metrics, "package", new VideoPackagingProcessor(video, renditions, media.tempDirectory(), ffmpeg)));
        return new CompositeItemProcessor<>(
                Stages.timed(metrics, "assemble", new AssembleProcessor(store, s3.buckets().staging(), media.tempDirectory())),
                Stages.timed(metrics, "scan", new ScanProcessor(scanner, store, s3.buckets().quarantine())),
                new MediaTypeRouter(images, videos));
    }

    @Bean
    @StepScope
    CompositeItemWriter<Rendered> publishWriter(ObjectStore store, S3Properties s3, JdbcClient jdbc, IngestBatch batch,
            FailureLedger ledger, MediaProperties media, @Value("${media.s3.server-side-encryption:#{null}}") String serverSideEncryption,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId,
            @Value("#{stepExecution.jobExecution.jobInstance.jobName}") String jobName, PipelineMetrics metrics) {
        return Stages.timed(metrics, "publish",
                new ContentAddressedObjectWriter(store, s3.buckets().published(), serverSideEncryption, jdbc),
                new StreamObjectWriter(store, s3.buckets().published(), serverSideEncryption, asset -> 1),
                new AssetMetadataWriter(jdbc, s3.buckets().published(), jobExecutionId),
                new StreamMetadataWriter(jdbc, s3.buckets().published(), asset -> 1),
                new IngestStateWriter(batch, ledger),
                new WorkspaceCleanupWriter(media.tempDirectory()),
                new OutcomeMetricsWriter(metrics, jobName, jobExecutionId));
    }

    @Bean
    @StepScope
    RejectionRecorder rejectionRecorder(JdbcClient jdbc, IngestBatch batch, MediaProperties media, FailureLedger ledger,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId,
            @Value("#{stepExecution.jobExecution.jobInstance.jobName}") String jobName, PipelineMetrics metrics) {
        return new RejectionRecorder(jdbc, batch, media.tempDirectory(), jobExecutionId, ledger, jobName, metrics);
    }

    @Bean
    @StepScope
    FailureRecorder ingestFailureRecorder(FailureLedger ledger, PlatformTransactionManager transactions,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId,
            @Value("#{stepExecution.jobExecution.jobInstance.jobName}") String jobName) {
        return new FailureRecorder(ledger, transactions, jobName, jobExecutionId, FailureLedger.Kind.UPLOAD);
    }

    @Bean
    Step cleanStaging(JobRepository jobs, PlatformTransactionManager transactions, IngestBatch batch, ObjectStore store,
            S3Properties s3, dev.mediapipeline.core.staging.UploadRepository uploads, IngestProperties ingest) {
        return new StepBuilder("cleanStaging", jobs).tasklet((contribution, context) -> {
            long instance = context.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
            java.util.List<UUID> page = batch.finishedNotCleaned(instance, ingest.rejectedRetention(), ingest.cleanPage());
            String bucket = s3.buckets().staging();
            // objects first: a row without objects is harmless, objects without a row are lost track of
            if (store.expiresStagedChunks(bucket)) {
                // the bucket's own rule expires a chunk a crash left without its row: the known ones go, 1,000 to a request
                store.deleteAll(bucket, uploads.chunkKeys(page));
            } else {
                // every object under each upload's prefix, so that a chunk a crash left without its row goes too; CLEAN_CONCURRENCY at once
                deletePrefixes(store, bucket, page);
            }
            batch.markCleaned(page);
            contribution.incrementWriteCount(page.size());
            // one transaction per page: a restart goes on from the first page not marked
            return page.size() == ingest.cleanPage() ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
        }, transactions).build();
    }

    private static void deletePrefixes(ObjectStore store, String bucket, java.util.List<UUID> uploads) throws InterruptedException {
        try (var deletes = java.util.concurrent.Executors.newFixedThreadPool(CLEAN_CONCURRENCY, Thread.ofVirtual().name("clean-staging-", 0).factory())) {
            java.util.List<java.util.concurrent.Future<Integer>> done = uploads.stream()
                    .map(id -> deletes.submit(() -> store.deletePrefix(bucket, Upload.chunkPrefix(id)))).toList();
            for (var delete : done) {
                try {
                    delete.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
    }

    /**
     * Uploads whose prefixes {@code cleanStaging} lists and empties at once, where the staging bucket
     * has no expiry rule of this application's (S3Proxy, or rules of someone else's): two requests each.
     */
    static final int CLEAN_CONCURRENCY = 16;
}
