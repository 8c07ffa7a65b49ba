package dev.mediapipeline.jobs.remote;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The manager side of remote partitioning: one {@link StepExecutionRequest} per partition to the
 * broker's {@value WorkerProperties#QUEUE} queue, then the partitions' states read back from the shared
 * job repository until every one has ended. Every wait is bounded, with ages measured by the database's
 * clock (the one the workers' leases are written with):
 * <ul>
 * <li>a partition no worker has taken is failed once no live worker ({@code media_worker}) has been
 * seen for {@code media.workers.start-timeout}: busy workers are not a reason to fail it;</li>
 * <li>a running partition whose lease ({@code partition_lease}, renewed by its worker) went unrenewed for
 * {@code media.workers.lease-timeout} has lost its worker: the broker gives its request, never
 * acknowledged, to another worker, which claims the expired lease and goes on from the last committed
 * chunk; when none has within a second such period, the partition is failed, and with it the job,
 * whose restart reruns only the partitions that did not complete;</li>
 * <li>when the job is being stopped, partitions no worker has taken are marked STOPPED (running ones
 * stop at their next chunk, through the repository).</li>
 * </ul>
 * If this wait itself ends abnormally (the database gone for longer than its retries, an interrupt),
 * every partition not yet ended is marked FAILED before the exception goes on, so that no worker keeps
 * running an execution a restart is about to replace (its next update fails on the version).
 */
class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);
    private static final Set<BatchStatus> ENDED = Set.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED,
            BatchStatus.ABANDONED, BatchStatus.UNKNOWN);
    private static final int DATABASE_RETRIES = 10;

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
        try {
            for (StepExecution partition : partitions) {
                String body = PartitionRequests.toJson(new StepExecutionRequest(workerStep, partition.getId()));
                jms.send(WorkerProperties.QUEUE, session -> session.createTextMessage(body));
            }
            log.info("{}: {} partition requests sent to {}", manager.getStepName(), partitions.size(), WorkerProperties.QUEUE);
            return await(manager, partitions);
        } catch (Exception | Error e) {
            abandon(partitions, e);
            throw e;
        }
    }

    /**
     * Polls until every partition has ended. One poll is four light queries (the database's clock, the
     * job's status, the live workers, and the status and lease of each partition not yet ended); a
     * partition's whole execution is read from the repository once, when it has ended, or when the
     * manager must end it.
     */
    private Set<StepExecution> await(StepExecution manager, Set<StepExecution> partitions) throws InterruptedException {
        Map<Long, Long> lostSince = new HashMap<>();
        Map<Long, StepExecution> ended = new HashMap<>();
        Map<Long, StepExecution> byId = new HashMap<>();
        partitions.forEach(p -> byId.put(p.getId(), p));
        long noWorkerSince = -1;
        int failures = 0;
        while (true) {
            try {
                long now = databaseMillis();
                boolean workerAlive = liveWorkers() > 0;
                noWorkerSince = workerAlive ? -1 : noWorkerSince < 0 ? now : noWorkerSince;
                boolean stopping = BatchStatus.STOPPING.name().equals(jdbc.queryForObject(
                        "select status from batch_job_execution where job_execution_id = ?", String.class, manager.getJobExecutionId()));
                // the partitions not yet ended: the poll shrinks as they end
                Long[] ids = byId.keySet().stream().filter(id -> !ended.containsKey(id)).toArray(Long[]::new);
                List<Map<String, Object>> states = jdbc.queryForList("""
                        select s.step_execution_id, s.status, l.worker, l.heartbeat_at,
                               (extract(epoch from now() - l.heartbeat_at) * 1000)::bigint as age_ms
                        from batch_step_execution s left join partition_lease l on l.step_execution_id = s.step_execution_id
                        where s.step_execution_id = any(?)""", (Object) ids);
                if (states.size() != ids.length) {
                    throw new IllegalStateException("of " + ids.length + " running partitions of " + manager.getStepName() + ", "
                            + states.size() + " are in the job repository: the others vanished");
                }
                for (Map<String, Object> state : states) {
                    long id = ((Number) state.get("step_execution_id")).longValue();
                    if (ENDED.contains(BatchStatus.valueOf((String) state.get("status")))
                            || check(byId.get(id), state, now, noWorkerSince, stopping, lostSince)) {
                        StepExecution read = jobs.getStepExecution(id);
                        if (read != null && ENDED.contains(read.getStatus())) {
                            ended.put(id, read);
                        }
                    }
                }
                failures = 0;
                if (ended.size() == byId.size()) {
                    return new HashSet<>(ended.values());
                }
            } catch (TransientDataAccessException | org.springframework.dao.RecoverableDataAccessException e) {
                if (++failures > DATABASE_RETRIES) {
                    throw e;
                }
                log.warn("{}: the job repository did not answer ({}); trying again", manager.getStepName(), e.toString());
            }
            Thread.sleep(workers.pollInterval().toMillis());
        }
    }

    /** Checks a partition that has not ended, by its row and lease; true when this check ended it. */
    private boolean check(StepExecution partition, Map<String, Object> lease, long now, long noWorkerSince, boolean stopping,
            Map<Long, Long> lostSince) {
        if (lease.get("worker") == null) {
            if (stopping) {
                return end(partition.getId(), BatchStatus.STOPPED, ExitStatus.STOPPED.addExitDescription("the job was stopped before a worker took it"));
            }
            if (noWorkerSince >= 0 && now - noWorkerSince > workers.startTimeout().toMillis()) {
                return end(partition.getId(), BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription("no live worker for media.workers.start-timeout ("
                        + workers.startTimeout() + "): start ./media worker against the same database and broker, then restart the job"));
            }
            return false;
        }
        long age = ((Number) lease.get("age_ms")).longValue();
        if (age <= workers.leaseTimeout().toMillis()) {
            lostSince.remove(partition.getId());
            return false;
        }
        long since = lostSince.computeIfAbsent(partition.getId(), id -> {
            log.warn("partition {} ({}): worker {} has not renewed its lease since {}; waiting for another worker to take it over",
                    partition.getStepName(), partition.getId(), lease.get("worker"), lease.get("heartbeat_at"));
            return now;
        });
        if (now - since > workers.leaseTimeout().toMillis()) {
            return end(partition.getId(), BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription("worker " + lease.get("worker")
                    + " stopped renewing its lease at " + lease.get("heartbeat_at") + " and no worker took the partition over: restart the job"));
        }
        return false;
    }

    /** Ends a partition in the repository, read afresh; false when it has ended already or a worker updated it meanwhile (read again at the next poll). */
    private boolean end(long id, BatchStatus status, ExitStatus exit) {
        StepExecution partition = jobs.getStepExecution(id);
        if (partition == null || ENDED.contains(partition.getStatus())) {
            return false;
        }
        return end(partition, status, exit);
    }

    private boolean end(StepExecution partition, BatchStatus status, ExitStatus exit) {
        log.warn("partition {} ({}) ended {} by the manager: {}", partition.getStepName(), partition.getId(), status, exit.getExitDescription());
        partition.setStatus(status);
        partition.setExitStatus(exit);
        partition.setEndTime(LocalDateTime.ofInstant(clock.instant(), ZoneId.systemDefault()));
        try {
            // a worker that takes it up after this finds it ended and leaves it; one still running loses its next update (its version is old)
            jobs.update(partition);
            return true;
        } catch (OptimisticLockingFailureException e) {
            return false;
        }
    }

    /** Marks every partition not yet ended FAILED, as far as the repository lets it: the wait for them ended abnormally. */
    private void abandon(Set<StepExecution> partitions, Throwable why) {
        for (StepExecution partition : partitions) {
            try {
                StepExecution state = jobs.getStepExecution(partition.getId());
                if (state != null && !ENDED.contains(state.getStatus())) {
                    end(state, BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription("the manager stopped waiting for it: " + why));
                }
            } catch (RuntimeException e) {
                log.warn("partition {} could not be marked FAILED after the manager's wait ended: {}", partition.getId(), e.toString());
            }
        }
    }

    private long databaseMillis() {
        return jdbc.queryForObject("select (extract(epoch from now()) * 1000)::bigint", Long.class);
    }

    private long liveWorkers() {
        return jdbc.queryForObject("select count(*) from media_worker where heartbeat_at > now() - make_interval(secs => ?)", Long.class,
                (double) workers.leaseTimeout().toMillis() / 1000);
    }
}
