package dev.mediapipeline.jobs.usage;

import dev.mediapipeline.core.usage.EdgeLog;
import dev.mediapipeline.core.usage.UsageDay;
import dev.mediapipeline.core.usage.UsageMeter;
import dev.mediapipeline.core.usage.UsageRollup;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.jobs.control.LocalExecutions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: brings the usage statistics up to date. {@code readEdgeLog} reads the CDN edge's
 * new access log lines ({@code media.usage.edge-log}, when set), a page per transaction with its
 * position; {@code flushUsage} adds this process's waiting delivery counts; {@code snapshotStorage}
 * measures what each tenant stores today; {@code rollupDays} recomputes each day from {@code from}
 * (default: the last {@code media.usage.recompute-days}, 3, up to today, UTC) to today, one
 * transaction a day. Every step is idempotent or keeps its place in the database, so a failed or
 * killed run is simply run again. On the nightly schedule {@code usage-rollup} and on demand
 * ({@code POST /jobs/usageRollup/executions}, admin).
 */
@Configuration(proxyBeanMethods = false)
@Import(JobLifecycleConfiguration.class)
public class UsageRollupJobConfiguration {

    public static final String JOB = "usageRollup";
    /** The first day to recompute. Identifying. */
    public static final String FROM = "from";
    static final int EDGE_LOG_PAGE = 5000;

    @Bean
    JobDeclaration usageRollupParameters() {
        List<JobDeclaration.Parameter> parameters = new ArrayList<>(JobDeclaration.common().stream()
                .filter(p -> !p.name().equals(JobDeclaration.TENANT)).toList());
        parameters.add(JobDeclaration.Parameter.optional(FROM, JobDeclaration.Kind.DATE, true));
        return new JobDeclaration(JOB, parameters, false);
    }

    @Bean
    Job usageRollup(JobRepository jobs, Step readEdgeLog, Step flushUsage, Step snapshotStorage, Step rollupDays, LocalExecutions local) {
        return new JobBuilder(JOB, jobs).listener(local)
                .start(readEdgeLog).next(flushUsage).next(snapshotStorage).next(rollupDays)
                .build();
    }

    @Bean
    Step readEdgeLog(JobRepository jobs, PlatformTransactionManager transactions, EdgeLog edgeLog,
            @Value("${media.usage.edge-log:}") String path) {
        return new StepBuilder("readEdgeLog", jobs).tasklet((contribution, context) -> {
            if (path.isBlank()) {
                return RepeatStatus.FINISHED;
            }
            EdgeLog.Read read = edgeLog.read(Path.of(path), EDGE_LOG_PAGE);
            contribution.incrementReadCount();
            contribution.incrementWriteCount(read.counted());
            add(context.getStepContext().getStepExecution().getJobExecution().getExecutionContext(), "report.edgeLogLines", read.lines());
            return read.more() ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step flushUsage(JobRepository jobs, PlatformTransactionManager transactions, UsageMeter meter) {
        return new StepBuilder("flushUsage", jobs).tasklet((contribution, context) -> {
            contribution.incrementWriteCount(meter.flush());
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step snapshotStorage(JobRepository jobs, PlatformTransactionManager transactions, UsageRollup rollup, Clock clock) {
        return new StepBuilder("snapshotStorage", jobs).tasklet((contribution, context) -> {
            contribution.incrementWriteCount(rollup.snapshotStorage(UsageDay.today(clock)));
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step rollupDays(JobRepository jobs, PlatformTransactionManager transactions, UsageRollup rollup, Clock clock,
            @Value("${media.usage.recompute-days:3}") int recomputeDays) {
        return new StepBuilder("rollupDays", jobs).tasklet((contribution, context) -> {
            var step = context.getStepContext().getStepExecution();
            LocalDate today = UsageDay.today(clock);
            LocalDate from = step.getJobParameters().getLocalDate(FROM);
            if (from == null) {
                from = today.minusDays(Math.max(1, recomputeDays) - 1L);
            }
            if (from.isAfter(today) || from.isBefore(today.minusDays(dev.mediapipeline.core.usage.UsageReport.MAX_DAYS))) {
                throw new IllegalArgumentException("from must be within the " + dev.mediapipeline.core.usage.UsageReport.MAX_DAYS
                        + " days up to today, not " + from);
            }
            // one day per transaction; a restart goes on from the next day not yet done
            LocalDate day = step.getExecutionContext().containsKey("next")
                    ? LocalDate.parse(step.getExecutionContext().getString("next")) : from;
            int tenants = rollup.rollup(day);
            contribution.incrementWriteCount(tenants);
            add(step.getJobExecution().getExecutionContext(), "report.daysRolledUp", 1);
            step.getExecutionContext().putString("next", day.plusDays(1).toString());
            return day.isBefore(today) ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
        }, transactions).build();
    }

    private static void add(ExecutionContext report, String key, long n) {
        report.putLong(key, report.getLong(key, 0) + n);
    }
}
