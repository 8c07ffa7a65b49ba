package dev.mediapipeline.jobs.migration;

import org.springframework.context.annotation.Import;
import dev.mediapipeline.jobs.control.LocalExecutions;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.core.media.IngestLimits;
import dev.mediapipeline.core.media.PublishedAsset;
import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.migration.MigrationBatch;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Properties;
import dev.mediapipeline.jobs.ingest.IngestProperties;
import dev.mediapipeline.jobs.ingest.ItemSteps;
import dev.mediapipeline.processors.fetch.PublishedOriginalFetcher;
import dev.mediapipeline.processors.render.ImageRenditionsProcessor;
import dev.mediapipeline.processors.validate.ValidateProcessor;
import dev.mediapipeline.readers.MigrationItemReader;
import dev.mediapipeline.readers.OrdinalRangePartitioner;
import dev.mediapipeline.writers.AssetMetadataWriter;
import dev.mediapipeline.writers.ContentAddressedObjectWriter;
import dev.mediapipeline.writers.FailureRecorder;
import dev.mediapipeline.writers.MigrationSkipRecorder;
import dev.mediapipeline.writers.MigrationStateWriter;
import dev.mediapipeline.writers.WorkspaceCleanupWriter;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.support.CompositeItemProcessor;
import org.springframework.batch.infrastructure.item.support.CompositeItemWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: re-processing migration. {@code selectAssets} freezes the assets the query
 * selects (or, with {@code dryRun=true}, only reports how many, their bytes and an estimated time,
 * and ends); {@code migratePartitions} re-renders each ordinal range in parallel from the published
 * originals with the new profile, writing a new asset version and switching the asset to it in the
 * chunk's transaction. Restartable: the item state is the process indicator.
 */
@Configuration(proxyBeanMethods = false)
@Import({JobLifecycleConfiguration.class, dev.mediapipeline.jobs.remote.RemotePartitioningConfiguration.class})
public class MigrationJobConfiguration {

    public static final String JOB = "assetMigration";
    static final String DRY_RUN = "DRY_RUN";

    /**
     * the common parameters, the selection and the profile's changes (see {@link MigrationParameters});
     * a tenant's launch selects only that tenant's assets
     */
    @Bean
    JobDeclaration assetMigrationParameters() {
        var parameters = new java.util.ArrayList<>(JobDeclaration.common());
        JobDeclaration.Kind text = JobDeclaration.Kind.TEXT;
        parameters.addAll(java.util.List.of(
                JobDeclaration.Parameter.optional("createdBefore", JobDeclaration.Kind.INSTANT, true),
                JobDeclaration.Parameter.optional("createdAfter", JobDeclaration.Kind.INSTANT, true),
                JobDeclaration.Parameter.optional("missingFormat", text, true),
                JobDeclaration.Parameter.optional("toolsWithout", text, true),
                JobDeclaration.Parameter.optional("profileHashNot", text, true),
                JobDeclaration.Parameter.optional("widths", JobDeclaration.Kind.INTEGERS, true),
                JobDeclaration.Parameter.optional("fit", text, true),
                JobDeclaration.Parameter.optional("jpegQuality", JobDeclaration.Kind.INTEGER, true),
                JobDeclaration.Parameter.optional("webpQuality", JobDeclaration.Kind.INTEGER, true),
                JobDeclaration.Parameter.optional("dryRun", JobDeclaration.Kind.BOOLEAN, true)));
        return new JobDeclaration(JOB, parameters, true);
    }

    @Bean
    Job assetMigration(JobRepository jobs, Step selectAssets, Step migratePartitions, RenditionProfile profile,
            LocalExecutions local) {
        return new JobBuilder(JOB, jobs)
                .listener(local)
                .validator(MigrationParameters.validator(profile))
                .start(selectAssets).on(DRY_RUN).end(DRY_RUN)
                .from(selectAssets).on("*").to(migratePartitions)
                .end()
                .build();
    }

    @Bean
    Step selectAssets(JobRepository jobs, PlatformTransactionManager transactions, MigrationBatch batch, RenditionProfile profile,
            MigrationEstimate estimate) {
        return new StepBuilder("selectAssets", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            MigrationParameters parameters = MigrationParameters.of(step.getJobParameters(), profile);
            ExecutionContext report = step.getJobExecution().getExecutionContext();
            report.putString("report.profileHash", parameters.profile().hash());
            if (parameters.dryRun()) {
                MigrationBatch.Totals totals = batch.count(parameters.selection());
                report.putLong("report.assets", totals.assets());
                report.putLong("report.bytes", totals.bytes());
                report.putLong("report.megapixels", Math.round(totals.pixels() / 1e6));
                MigrationEstimate.Rate rate = estimate.rate();
                report.putDouble("report.estimatedSeconds", Math.round(totals.pixels() / 1e6 / rate.megapixelsPerSecond() * 10) / 10.0);
                report.putString("report.estimateBasis", rate.basis());
                contribution.setExitStatus(new ExitStatus(DRY_RUN, totals.assets() + " assets, " + totals.bytes()
                        + " bytes of originals, about " + report.getDouble("report.estimatedSeconds") + " s; nothing written"));
                return RepeatStatus.FINISHED;
            }
            long instance = step.getJobExecution().getJobInstance().getInstanceId();
            int frozen = batch.freeze(instance, parameters.selection());
            report.putLong("report.assets", frozen);
            contribution.incrementWriteCount(frozen);
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    MigrationEstimate migrationEstimate(JdbcClient jdbc) {
        return new MigrationEstimate(jdbc);
    }

    @Bean
    Step migratePartitions(JobRepository jobs, OrdinalRangePartitioner ordinalRangePartitioner, Step migratePartition,
            IngestProperties ingest, dev.mediapipeline.jobs.remote.Partitions partitions) {
        return ItemSteps.partitioned("migratePartitions", "migrate-", jobs, ordinalRangePartitioner, migratePartition, ingest, partitions);
    }

    @Bean
    @StepScope
    OrdinalRangePartitioner ordinalRangePartitioner(MigrationBatch batch,
            @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") long jobInstanceId) {
        return new OrdinalRangePartitioner(batch, jobInstanceId);
    }

    @Bean
    Step migratePartition(JobRepository jobs, PlatformTransactionManager transactions, MigrationItemReader migrationItemReader,
            ItemProcessor<PublishedAsset, RenderedImage> migrationProcessor, CompositeItemWriter<RenderedImage> migrationWriter,
            MigrationSkipRecorder migrationSkipRecorder, FailureRecorder migrationFailureRecorder, IngestProperties ingest,
            dev.mediapipeline.jobs.control.ItemClock clock) {
        return ItemSteps.itemStep("migratePartition", jobs, transactions, ingest, migrationItemReader, migrationProcessor,
                migrationWriter, migrationSkipRecorder, migrationFailureRecorder, clock);
    }

    @Bean
    @StepScope
    MigrationItemReader migrationItemReader(MigrationBatch batch,
            @Value("#{stepExecution.jobExecution.jobInstance.instanceId}") long jobInstanceId,
            @Value("#{stepExecutionContext['" + OrdinalRangePartitioner.FIRST + "']}") long first,
            @Value("#{stepExecutionContext['" + OrdinalRangePartitioner.LAST + "']}") long last) {
        return new MigrationItemReader(batch, jobInstanceId, first, last);
    }

    @Bean
    @StepScope
    ItemProcessor<PublishedAsset, RenderedImage> migrationProcessor(ObjectStore store, S3Properties s3, IngestLimits limits,
            RenditionProfile configured, MediaProperties media,
            @Value("#{stepExecution.jobExecution.jobParameters}") JobParameters parameters,
            dev.mediapipeline.core.metrics.PipelineMetrics metrics) {
        RenditionProfile profile = MigrationParameters.of(parameters, configured).profile();
        return new CompositeItemProcessor<>(
                dev.mediapipeline.jobs.control.Stages.timed(metrics, "fetch",
                        new PublishedOriginalFetcher(store, s3.buckets().published(), media.tempDirectory())),
                dev.mediapipeline.jobs.control.Stages.timed(metrics, "validate", new ValidateProcessor(limits)),
                dev.mediapipeline.jobs.control.Stages.timed(metrics, "render",
                        new ImageRenditionsProcessor(profile, media.tempDirectory(), metrics::encoded)));
    }

    @Bean
    @StepScope
    CompositeItemWriter<RenderedImage> migrationWriter(ObjectStore store, S3Properties s3, JdbcClient jdbc, MigrationBatch batch,
            MediaProperties media, @Value("${media.s3.server-side-encryption:#{null}}") String serverSideEncryption,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId) {
        return new CompositeItemWriter<>(
                new ContentAddressedObjectWriter(store, s3.buckets().published(), serverSideEncryption, jdbc),
                new AssetMetadataWriter(jdbc, s3.buckets().published(), jobExecutionId, batch::targetVersion),
                new MigrationStateWriter(batch),
                new WorkspaceCleanupWriter(media.tempDirectory()));
    }

    @Bean
    @StepScope
    MigrationSkipRecorder migrationSkipRecorder(MigrationBatch batch, MediaProperties media, FailureLedger ledger,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId) {
        return new MigrationSkipRecorder(batch, media.tempDirectory(), ledger, JOB, jobExecutionId);
    }

    @Bean
    @StepScope
    FailureRecorder migrationFailureRecorder(FailureLedger ledger, PlatformTransactionManager transactions,
            @Value("#{stepExecution.jobExecution.id}") long jobExecutionId) {
        return new FailureRecorder(ledger, transactions, JOB, jobExecutionId, FailureLedger.Kind.ASSET);
    }
}
