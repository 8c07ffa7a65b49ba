package dev.mediapipeline.jobs.remote;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The manager side of remote partitioning: one {@link StepExecutionRequest} per partition to the
 * broker's {@value WorkerProperties#QUEUE} queue, then the partitions' states read back from the shared
 * job repository until every one has ended. The wait is bounded on both sides of a partition's life:
 * <ul>
 * <li>a partition no worker has taken within {@code media.workers.start-timeout} is failed ("no worker");</li>
 * <li>a running partition whose lease ({@code partition_lease}, renewed by its worker) went unrenewed for
 * {@code media.workers.lease-timeout} has lost its worker: the broker gives its request, never
 * acknowledged, to another worker, which takes it over from its last committed chunk; when none has
 * within a second such period, the partition is failed, and with it the job, whose restart reruns
 * only the partitions that did not complete.</li>
 * </ul>
 */
class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);
    private static final Set<BatchStatus> ENDED = Set.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED,
            BatchStatus.ABANDONED, BatchStatus.UNKNOWN);

    private final String workerStep;
    private final JmsTemplate jms;
    private final JobRepository jobs;
    private final JdbcTemplate jdbc;
    private final WorkerProperties workers;
    private final Clock clock;

    RemotePartitionHandler(String workerStep, int gridSize, JmsTemplate jms, JobRepository jobs, JdbcTemplate jdbc, WorkerProperties workers,
            Clock clock) {
        this.workerStep = workerStep;
        this.jms = jms;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.workers = workers;
        this.clock = clock;
        setGridSize(gridSize);
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        Instant sent = clock.instant();
        for (StepExecution partition : partitions) {
            String body = PartitionRequests.toJson(new StepExecutionRequest(workerStep, partition.getId()));
            jms.send(WorkerProperties.QUEUE, session -> session.createTextMessage(body));
        }
        log.info("{}: {} partition requests sent to {}", manager.getStepName(), partitions.size(), WorkerProperties.QUEUE);
        Map<Long, Instant> lostSince = new HashMap<>();
        while (true) {
            Set<StepExecution> current = new HashSet<>();
            boolean running = false;
            Instant now = clock.instant();
            for (StepExecution partition : partitions) {
                StepExecution state = jobs.getStepExecution(partition.getId());
                if (state == null) {
                    throw new IllegalStateException("partition " + partition.getStepName() + " (" + partition.getId() + ") vanished from the job repository");
                }
                if (!ENDED.contains(state.getStatus())) {
                    running = true;
                    check(state, sent, now, lostSince);
                }
                current.add(state);
            }
            if (!running) {
                return current;
            }
            Thread.sleep(workers.pollInterval().toMillis());
        }
    }

    /** Fails a partition that waited too long for a worker, or whose worker died and was not replaced in time. */
    private void check(StepExecution partition, Instant sent, Instant now, Map<Long, Instant> lostSince) {
        Map<String, Object> lease = jdbc.queryForList("select worker, heartbeat_at from partition_lease where step_execution_id = ?",
                partition.getId()).stream().findFirst().orElse(null);
        if (lease == null) {
            if (Duration.between(sent, now).compareTo(workers.startTimeout()) > 0) {
                fail(partition, "no worker took this partition within media.workers.start-timeout (" + workers.startTimeout()
                        + "): start ./media worker against the same database and broker, then restart the job");
            }
            return;
        }
        Instant heartbeat = ((Timestamp) lease.get("heartbeat_at")).toInstant();
        if (Duration.between(heartbeat, now).compareTo(workers.leaseTimeout()) <= 0) {
            lostSince.remove(partition.getId());
            return;
        }
        Instant since = lostSince.computeIfAbsent(partition.getId(), id -> {
            log.warn("partition {} ({}): worker {} has not renewed its lease since {}; waiting for another worker to take it over",
                    partition.getStepName(), partition.getId(), lease.get("worker"), heartbeat);
            return now;
        });
        if (Duration.between(since, now).compareTo(workers.leaseTimeout()) > 0) {
            fail(partition, "worker " + lease.get("worker") + " stopped renewing its lease at " + heartbeat
                    + " and no worker took the partition over: restart the job to rerun it");
        }
    }

    private void fail(StepExecution partition, String why) {
        log.error("partition {} ({}) failed: {}", partition.getStepName(), partition.getId(), why);
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        partition.setEndTime(LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()));
        // a worker that takes it up after this finds it ended and leaves it; one still running loses its next update (its version is old)
        jobs.update(partition);
    }
}
