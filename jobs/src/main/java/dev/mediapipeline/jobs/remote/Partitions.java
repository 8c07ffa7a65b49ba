package dev.mediapipeline.jobs.remote;

import dev.mediapipeline.jobs.ingest.IngestProperties;
import dev.mediapipeline.jobs.ingest.ItemSteps;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * How a partitioned step's partitions run, by {@code media.workers.mode}: in this process
 * ({@code local}, a task executor) or on worker JVMs through the broker ({@code remote},
 * {@link RemotePartitionHandler}). It also knows which steps are partitions, the only steps a worker
 * runs on request.
 */
public class Partitions {

    private final WorkerProperties workers;
    private final ObjectProvider<JmsTemplate> jms;
    private final JobRepository jobs;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Set<String> partitionSteps = ConcurrentHashMap.newKeySet();

    public Partitions(WorkerProperties workers, ObjectProvider<JmsTemplate> jms, JobRepository jobs, JdbcTemplate jdbc, Clock clock) {
        this.workers = workers;
        this.jms = jms;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The partition handler of a manager step whose partitions run {@code worker}. */
    public PartitionHandler handler(Step worker, String threadPrefix, IngestProperties ingest) {
        partitionSteps.add(worker.getName());
        if (workers.mode() == WorkerProperties.Mode.REMOTE) {
            return new RemotePartitionHandler(worker.getName(), ingest.partitions(), jms.getObject(), jobs, jdbc, workers, clock);
        }
        TaskExecutorPartitionHandler local = new TaskExecutorPartitionHandler();
        local.setStep(worker);
        local.setTaskExecutor(ItemSteps.partitionExecutor(threadPrefix, ingest));
        local.setGridSize(ingest.partitions());
        return local;
    }

    /** Whether a request may name this step: only the partition steps of partitioned steps. */
    boolean isPartitionStep(String name) {
        return partitionSteps.contains(name);
    }

    public WorkerProperties.Mode mode() {
        return workers.mode();
    }
}
