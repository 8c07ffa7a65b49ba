package dev.mediapipeline.jobs.control;

import dev.mediapipeline.readers.ExpectedItems;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * A job execution as its status report: every step and partition with its counts as the
 * repository has them (committed chunk by chunk), elapsed time, and, where the step's reader said
 * how many items it has, progress and an estimate of the time remaining at the rate so far; and
 * the job's own report (a dry run's figures).
 */
public record ExecutionReport(long id, String job, long instanceId, String status, String exitCode, String exitDescription,
        Map<String, String> parameters, LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime,
        double elapsedSeconds, Progress progress, Map<String, Object> report, List<StepReport> steps) {

    /** Items of the execution's item steps: expected (-1 when unknown), done, and the estimate. */
    public record Progress(long expectedItems, long doneItems, Double percent, Double estimatedRemainingSeconds) {
    }

    /** One step execution; a partition's name is {@code worker:partitionN}, with {@code partition} set. */
    public record StepReport(long id, String name, String partition, String status, String exitCode, long read,
            long written, long filtered, long skipped, long committed, long rollbacks, double elapsedSeconds,
            long expectedItems, long doneItems, Double percent, Double estimatedRemainingSeconds, LocalDateTime startTime,
            LocalDateTime endTime, String worker) {
    }

    public static ExecutionReport of(JobExecution execution, LocalDateTime now) {
        List<StepReport> steps = execution.getStepExecutions().stream()
                .sorted(Comparator.comparing(StepExecution::getId))
                .map(step -> step(step, now))
                .toList();
        Map<String, String> parameters = new LinkedHashMap<>();
        execution.getJobParameters().parameters().forEach(p -> parameters.put(p.name(), String.valueOf(p.value())));
        return new ExecutionReport(execution.getId(), execution.getJobInstance().getJobName(),
                execution.getJobInstance().getInstanceId(), execution.getStatus().name(),
                execution.getExitStatus().getExitCode(), execution.getExitStatus().getExitDescription(), parameters,
                execution.getCreateTime(), execution.getStartTime(), execution.getEndTime(),
                seconds(execution.getStartTime(), execution.getEndTime(), now), progress(execution, steps, now),
                report(execution), steps);
    }

    /** What the job says about its run, under {@code report.} in its execution context (a dry run's figures). */
    private static Map<String, Object> report(JobExecution execution) {
        Map<String, Object> report = new java.util.TreeMap<>();
        execution.getExecutionContext().entrySet().forEach(e -> {
            if (e.getKey().startsWith("report.")) {
                report.put(e.getKey().substring("report.".length()), e.getValue());
            }
        });
        return report;
    }

    private static StepReport step(StepExecution step, LocalDateTime now) {
        String name = step.getStepName();
        int colon = name.indexOf(':');
        String partition = colon < 0 ? null : name.substring(colon + 1);
        double elapsed = seconds(step.getStartTime(), step.getEndTime(), now);
        long expected = ExpectedItems.of(step.getExecutionContext());
        long done = done(step);
        Double percent = null;
        Double remaining = null;
        if (expected >= 0) {
            percent = expected == 0 ? 100.0 : Math.min(100.0, 100.0 * done / expected);
            if (step.getEndTime() != null || done >= expected) {
                remaining = 0.0;
            } else if (done > 0) {
                remaining = elapsed * (expected - done) / done;
            }
        }
        return new StepReport(step.getId(), name, partition, step.getStatus().name(), step.getExitStatus().getExitCode(),
                step.getReadCount(), step.getWriteCount(), step.getFilterCount(), step.getSkipCount(),
                step.getCommitCount(), step.getRollbackCount(), elapsed, expected, done, percent, remaining,
                step.getStartTime(), step.getEndTime(), step.getExecutionContext().getString(WORKER, null));
    }

    /** Where a remote partition's worker writes its name in the partition's context (null: it ran in the manager's process). */
    public static final String WORKER = "media.worker";

    /** Items a step has finished with: read ones (written, filtered or skipped in process/write) and read skips. */
    private static long done(StepExecution step) {
        return step.getReadCount() + step.getReadSkipCount();
    }

    private static Progress progress(JobExecution execution, List<StepReport> steps, LocalDateTime now) {
        List<StepReport> counted = steps.stream().filter(s -> s.expectedItems() >= 0).toList();
        if (counted.isEmpty()) {
            return new Progress(-1, 0, null, null);
        }
        long expected = counted.stream().mapToLong(StepReport::expectedItems).sum();
        long done = counted.stream().mapToLong(StepReport::doneItems).sum();
        double percent = expected == 0 ? 100.0 : Math.min(100.0, 100.0 * done / expected);
        Double remaining = null;
        if (execution.getEndTime() != null || done >= expected) {
            remaining = 0.0;
        } else if (done > 0) {
            LocalDateTime first = counted.stream().map(StepReport::startTime).filter(t -> t != null)
                    .min(Comparator.naturalOrder()).orElse(now);
            double elapsed = seconds(first, null, now);
            remaining = elapsed * (expected - done) / done;
        }
        return new Progress(expected, done, percent, remaining);
    }

    private static double seconds(LocalDateTime start, LocalDateTime end, LocalDateTime now) {
        if (start == null) {
            return 0;
        }
        return Duration.between(start, end != null ? end : now).toMillis() / 1000.0;
    }
}
