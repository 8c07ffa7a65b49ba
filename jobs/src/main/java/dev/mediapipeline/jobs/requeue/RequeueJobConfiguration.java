package dev.mediapipeline.jobs.requeue;

import org.springframework.context.annotation.Import;
import dev.mediapipeline.jobs.control.LocalExecutions;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.jobs.ingest.IngestProperties;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.jobs.control.JobDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: re-ingests the open failures of one class ({@code failureClass}, for example
 * {@code rejected:too-many-pixels} after a limit was raised). {@code releaseFailures} hands each
 * refused upload whose bytes are still staged back to the ingest, and marks its ledger entry
 * requeued; then the ingest job's own steps freeze, ingest and clean, so anything else staged
 * meanwhile is ingested with them.
 */
@Configuration(proxyBeanMethods = false)
@Import(JobLifecycleConfiguration.class)
public class RequeueJobConfiguration {

    public static final String JOB = "requeueFailures";
    public static final String FAILURE_CLASS = "failureClass";

    /** the common parameters and the failure class; a tenant's launch requeues only that tenant's failures */
    @Bean
    JobDeclaration requeueFailuresParameters() {
        var parameters = new java.util.ArrayList<>(JobDeclaration.common());
        parameters.add(JobDeclaration.Parameter.required(FAILURE_CLASS, JobDeclaration.Kind.TEXT));
        return new JobDeclaration(JOB, parameters, true);
    }

    @Bean
    Job requeueFailures(JobRepository jobs, Step checkScanner, Step releaseFailures, Step ingestPartitions, Step cleanStaging,
            LocalExecutions local) {
        return new JobBuilder(JOB, jobs)
                .listener(local)
                .validator(parameters -> {
                    String failureClass = parameters.getString(FAILURE_CLASS);
                    if (failureClass == null || !failureClass.matches("(rejected|failed):[A-Za-z0-9_.-]+")) {
                        throw new InvalidJobParametersException(JOB + " needs " + FAILURE_CLASS
                                + " such as rejected:too-many-pixels (GET /failures lists the open classes)");
                    }
                })
                .start(checkScanner).next(releaseFailures).next(ingestPartitions).next(cleanStaging)
                .build();
    }

    @Bean
    Step releaseFailures(JobRepository jobs, PlatformTransactionManager transactions, FailureLedger ledger, IngestBatch batch,
            IngestProperties ingest) {
        return new StepBuilder("releaseFailures", jobs).tasklet((contribution, context) -> {
            var execution = context.getStepContext().getStepExecution().getJobExecution();
            String failureClass = execution.getJobParameters().getString(FAILURE_CLASS);
            List<Map<String, Object>> open = ledger.open(failureClass, JobDeclaration.tenantOf(execution.getJobParameters()));
            List<UUID> uploads = open.stream().filter(entry -> "UPLOAD".equals(entry.get("item_kind")))
                    .map(entry -> (UUID) entry.get("item_id")).toList();
            Set<UUID> taken = Set.copyOf(batch.reclaim(uploads, execution.getJobInstance().getInstanceId(), ingest.partitions()));
            long released = 0;
            for (Map<String, Object> entry : open) {
                if (taken.contains(entry.get("item_id"))) {
                    ledger.markRequeued(((Number) entry.get("id")).longValue(), execution.getId());
                    released++;
                }
            }
            // the rest: an asset's re-processing is a migration's work, a failed ingest item its execution's
            // restart, and a refused upload whose bytes are gone cannot be ingested again
            long kept = open.size() - released;
            execution.getExecutionContext().putLong("report.requeued", released);
            execution.getExecutionContext().putLong("report.notRequeueable", kept);
            contribution.incrementWriteCount(released);
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }
}
