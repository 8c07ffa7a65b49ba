package dev.mediapipeline.jobs.remote;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker JVM's side of remote partitioning: takes one partition request at a time from the broker
 * (the connection buffers none: {@code consumerWindowSize=0}), runs the partition's step with Spring
 * Batch's {@link StepExecutionRequestHandler} against the shared job repository, and returns, which
 * acknowledges the request (the listener's session is transacted). A worker that dies leaves its
 * request unacknowledged, and the broker gives it to another worker, which goes on from the
 * partition's last committed chunk. While it runs a partition it renews the partition's lease and its
 * own entry in {@code media_worker}, which the manager and {@code ./media workers} read.
 */
public class PartitionWorker implements jakarta.jms.MessageListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final Set<BatchStatus> RUNNABLE = Set.of(BatchStatus.STARTING, BatchStatus.STARTED);

    private final String name;
    private final StepExecutionRequestHandler handler;
    private final Partitions partitions;
    private final JobRepository jobs;
    private final JdbcTemplate jdbc;
    private final ScheduledExecutorService heartbeats;
    private final ScheduledFuture<?> registration;
    private final long heartbeatMillis;
    private final double leaseTimeoutSeconds;

    public PartitionWorker(WorkerProperties workers, StepExecutionRequestHandler handler, Partitions partitions, JobRepository jobs,
            JdbcTemplate jdbc) {
        this.name = workers.workerName();
        this.handler = handler;
        this.partitions = partitions;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.heartbeatMillis = workers.heartbeatInterval().toMillis();
        this.leaseTimeoutSeconds = workers.leaseTimeout().toMillis() / 1000.0;
        jdbc.update("""
                insert into media_worker (name, host, pid) values (?, ?, ?)
                on conflict (name) do update set host = excluded.host, pid = excluded.pid, started_at = now(), heartbeat_at = now(),
                    metrics_url = null""",
                name, WorkerProperties.hostName(), ProcessHandle.current().pid());
        this.heartbeats = Executors.newScheduledThreadPool(1, Thread.ofPlatform().daemon().name("worker-heartbeat").factory());
        this.registration = heartbeats.scheduleWithFixedDelay(this::alive, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        log.info("worker {} takes partitions from {}", name, WorkerProperties.QUEUE);
    }

    public String name() {
        return name;
    }

    @Override
    public void onMessage(Message message) {
        StepExecutionRequest request;
        try {
            request = PartitionRequests.fromJson(message instanceof TextMessage text ? text.getText() : null);
        } catch (IllegalArgumentException | JMSException e) {
            log.error("worker {}: a message that is no partition request was dropped: {}", name, e.getMessage());
            return; // acknowledged: it would never be one
        }
        if (!partitions.isPartitionStep(request.getStepName())) {
            log.error("worker {}: a request for step {}, which is no partition step, was dropped", name, request.getStepName());
            return;
        }
        long id = request.getStepExecutionId();
        StepExecution partition = jobs.getStepExecution(id);
        if (partition == null) {
            // not in this worker's database: a worker on the wrong database must not swallow the request
            throw new IllegalStateException("worker " + name + ": partition " + id + " is not in the job repository it uses; is it the manager's?");
        }
        if (!partition.getStepName().startsWith(request.getStepName() + ":")) {
            log.error("worker {}: a request to run step {} on partition {} of step {} was dropped", name, request.getStepName(), id,
                    partition.getStepName());
            return;
        }
        if (!RUNNABLE.contains(partition.getStatus())) {
            log.info("worker {}: partition {} has ended {}; nothing to run", name, id, partition.getStatus());
            return;
        }
        // the lease, claimed only if nobody holds it: free, ended, or not renewed for the lease timeout (its worker is gone)
        List<Integer> claimed = jdbc.queryForList("""
                insert into partition_lease as l (step_execution_id, worker) values (?, ?)
                on conflict (step_execution_id) do update
                set worker = excluded.worker, started_at = now(), heartbeat_at = now(), ended_at = null, attempts = l.attempts + 1
                where l.ended_at is not null or l.heartbeat_at < now() - make_interval(secs => ?)
                returning attempts""", Integer.class, id, name, leaseTimeoutSeconds);
        if (claimed.isEmpty()) {
            // a live worker runs it (the broker gave its request out again, after a network fault): this one must not, now;
            // rolled back, the request comes again, and is taken over if that worker's lease lapses
            throw new IllegalStateException("worker " + name + ": partition " + id + " is held by a live worker");
        }
        // who runs it, in its context: GET /jobs/executions/{id} shows it on the partition
        partition.getExecutionContext().putString(dev.mediapipeline.jobs.control.ExecutionReport.WORKER, name);
        jobs.updateExecutionContext(partition);
        ScheduledFuture<?> lease = heartbeats.scheduleWithFixedDelay(
                () -> renew(id), heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        log.info("worker {} runs partition {} ({}, {})", name, partition.getStepName(), id, partition.getExecutionContext());
        try {
            StepExecution ended = handler.handle(request);
            if (ended.getStatus() == BatchStatus.FAILED && !ended.getFailureExceptions().isEmpty()) {
                // the handler caught what the step threw out of itself: its state is ours to record
                ended.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED.addExitDescription(ended.getFailureExceptions().getFirst()));
                ended.setEndTime(java.time.LocalDateTime.now());
                try {
                    jobs.update(ended);
                } catch (RuntimeException e) {
                    log.warn("worker {}: partition {} ended FAILED and its state could not be recorded: {}", name, id, e.toString());
                }
            }
            log.info("worker {}: partition {} ended {}", name, id, ended.getStatus());
        } finally {
            lease.cancel(false);
            jdbc.update("update partition_lease set ended_at = now(), heartbeat_at = now() where step_execution_id = ? and worker = ?", id, name);
        }
    }

    private void renew(long stepExecutionId) {
        try {
            jdbc.update("update partition_lease set heartbeat_at = now() where step_execution_id = ? and worker = ? and ended_at is null",
                    stepExecutionId, name);
        } catch (RuntimeException e) {
            log.warn("worker {}: the lease of partition {} was not renewed: {}", name, stepExecutionId, e.toString());
        }
    }

    private void alive() {
        try {
            jdbc.update("update media_worker set heartbeat_at = now() where name = ?", name);
        } catch (RuntimeException e) {
            log.warn("worker {}: its heartbeat was not recorded: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        registration.cancel(false);
        heartbeats.shutdownNow();
        try {
            jdbc.update("delete from media_worker where name = ?", name);
        } catch (RuntimeException e) {
            log.warn("worker {}: its entry was not removed: {}", name, e.toString());
        }
    }
}
