package dev.mediapipeline.jobs.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;

/**
 * On shutdown (SIGTERM, a rolling restart), this process's running executions are asked to stop, as
 * {@code POST /jobs/executions/{id}/stop} asks: each step stops after its current chunk, and the
 * execution ends STOPPED, restartable where it stopped, instead of being left STARTED for a
 * recover. The shutdown waits for them up to the grace period ({@code media.jobs.shutdown-grace}),
 * before the database and the object store close. It stops early among the lifecycle beans, after
 * the schedules stop firing.
 */
public class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final LocalExecutions executions;
    private final JobRepository repository;
    private final Duration grace;
    private volatile boolean running;
    private static volatile boolean inProgress;

    /**
     * Whether this process is shutting down: a failure then is the process's (its services closing),
     * not the item's, so it must not set the item aside.
     */
    public static boolean inProgress() {
        return inProgress;
    }

    public GracefulShutdown(LocalExecutions executions, JobRepository repository, Duration grace) {
        this.executions = executions;
        this.repository = repository;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        inProgress = true;
        List<JobExecution> live = executions.running();
        if (live.isEmpty()) {
            return;
        }
        for (JobExecution execution : live) {
            JobExecution stored = repository.getJobExecution(execution.getId());
            if (stored != null && stored.isRunning() && stored.getStatus() != BatchStatus.STOPPING) {
                stored.setStatus(BatchStatus.STOPPING);
                repository.update(stored);
            }
            log.info("shutting down: execution {} of {} asked to stop after its current chunk", execution.getId(),
                    execution.getJobInstance().getJobName());
        }
        Instant deadline = Instant.now().plus(grace);
        while (!executions.running().isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<JobExecution> left = executions.running();
        if (left.isEmpty()) {
            log.info("shutting down: every execution of this process stopped, restartable where it stopped");
        } else {
            log.warn("shutting down: {} execution(s) still running after {}: they stay STARTED; recover and restart them",
                    left.stream().map(JobExecution::getId).toList(), grace);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful stop and everything else, after Quartz (Integer.MAX_VALUE) stops firing. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
