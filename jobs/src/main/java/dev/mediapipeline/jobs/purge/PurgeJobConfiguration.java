package dev.mediapipeline.jobs.purge;

import dev.mediapipeline.core.asset.AssetLifecycle;
import dev.mediapipeline.core.cdn.PurgeQueue;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.jobs.control.LocalExecutions;
import java.util.List;
import java.util.UUID;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: removes for good what the trash kept past its retention. {@code purgeExpiredTrash}
 * deletes each expired asset's rows and releases its file references ({@link AssetLifecycle#purgeRows});
 * {@code collectFiles} deletes every stored file no version references any more, and its row;
 * {@code collectStreams} empties the prefixes of purged streams; {@code deliverPurges} retries the CDN
 * purges not yet acknowledged. Every step commits a page at a time and its progress is the database's
 * state (what is purged is gone from the query that finds work), so a stopped or crashed run resumes
 * where it was. On the nightly schedule and on demand ({@code POST /jobs/purgeAssets}); a tenant's
 * launch purges only that tenant's trash (the collection after it is of files nobody references).
 */
@Configuration(proxyBeanMethods = false)
@Import(JobLifecycleConfiguration.class)
public class PurgeJobConfiguration {

    public static final String JOB = "purgeAssets";
    /** Items per transaction. */
    static final int PAGE = 50;

    @Bean
    JobDeclaration purgeAssetsParameters() {
        return new JobDeclaration(JOB, JobDeclaration.common(), true);
    }

    @Bean
    Job purgeAssets(JobRepository jobs, Step purgeExpiredTrash, Step collectFiles, Step collectStreams, Step deliverPurges,
            LocalExecutions local) {
        return new JobBuilder(JOB, jobs).listener(local)
                .start(purgeExpiredTrash).next(collectFiles).next(collectStreams).next(deliverPurges)
                .build();
    }

    @Bean
    Step purgeExpiredTrash(JobRepository jobs, PlatformTransactionManager transactions, AssetLifecycle lifecycle) {
        return new StepBuilder("purgeExpiredTrash", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            UUID tenant = JobDeclaration.tenantOf(step.getJobParameters());
            List<UUID> due = lifecycle.expired(tenant, PAGE);
            int purged = 0;
            for (UUID asset : due) {
                if (lifecycle.purgeRows(asset, false, tenant).isPresent()) {
                    purged++;
                }
            }
            count(contribution, step.getJobExecution().getExecutionContext(), "report.assetsPurged", purged);
            return due.size() < PAGE ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }, transactions).build();
    }

    @Bean
    Step collectFiles(JobRepository jobs, PlatformTransactionManager transactions, AssetLifecycle lifecycle) {
        return new StepBuilder("collectFiles", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            // by content address, from where the last page ended: a file an ingest holds is passed over, not met again
            String after = step.getExecutionContext().getString("after", "");
            List<String> files = lifecycle.unreferenced(after, PAGE);
            int collected = 0;
            for (String sha256 : files) {
                if (lifecycle.collectFile(sha256)) {
                    collected++;
                }
            }
            if (!files.isEmpty()) {
                step.getExecutionContext().putString("after", files.getLast());
            }
            count(contribution, step.getJobExecution().getExecutionContext(), "report.filesCollected", collected);
            return files.size() < PAGE ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }, transactions).build();
    }

    @Bean
    Step collectStreams(JobRepository jobs, PlatformTransactionManager transactions, AssetLifecycle lifecycle) {
        return new StepBuilder("collectStreams", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            List<AssetLifecycle.StreamGarbage> garbage = lifecycle.streamGarbage(PAGE);
            int objects = 0;
            for (AssetLifecycle.StreamGarbage prefix : garbage) {
                objects += lifecycle.collectStream(prefix);
            }
            count(contribution, step.getJobExecution().getExecutionContext(), "report.streamObjectsDeleted", objects);
            return garbage.size() < PAGE ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }, transactions).build();
    }

    @Bean
    Step deliverPurges(JobRepository jobs, PlatformTransactionManager transactions, PurgeQueue purges) {
        return new StepBuilder("deliverPurges", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            PurgeQueue.Delivery delivery = purges.deliverDue(PAGE);
            ExecutionContext report = step.getJobExecution().getExecutionContext();
            count(contribution, report, "report.cdnPurgesAcknowledged", delivery.acknowledged());
            report.putLong("report.cdnPurgesFailed", report.getLong("report.cdnPurgesFailed", 0) + delivery.failed());
            // a purge that failed waits for its back-off: the next run (or the retry job) takes it
            return delivery.acknowledged() + delivery.failed() < PAGE ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }, transactions).build();
    }

    private static void count(StepContribution contribution, ExecutionContext report, String key, int n) {
        contribution.incrementWriteCount(n);
        report.putLong(key, report.getLong(key, 0) + n);
    }
}
