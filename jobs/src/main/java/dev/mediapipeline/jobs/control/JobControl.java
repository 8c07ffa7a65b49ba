package dev.mediapipeline.jobs.control;

import dev.mediapipeline.core.storage.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Launches, stops, restarts and recovers jobs by name: the one entry point of the REST API, the
 * Quartz schedules and the command line. Whether a launch runs in the background depends on the
 * JobOperator's task executor (the server's is asynchronous; {@link #awaitEnd} waits).
 */
public class JobControl {

    private final JobOperator operator;
    private final Map<String, Job> registry;
    private final JobRepository repository;
    private final Map<String, JobDeclaration> declarations;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final DefaultJobKeyGenerator jobKeys = new DefaultJobKeyGenerator();
    /** Executions started by this process, live objects the running thread updates. */
    private final Map<Long, JobExecution> local = new ConcurrentHashMap<>();
    /** how many executions this process runs at once; more launches are refused (BUSY), never queued */
    private int maxRunning = Integer.MAX_VALUE;

    public JobControl(JobOperator operator, List<Job> jobs, JobRepository repository, List<JobDeclaration> declarations,
            JdbcClient jdbc, DataSource dataSource) {
        this.dataSource = dataSource;
        this.operator = operator;
        this.registry = jobs.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Job::getName, j -> j));
        this.repository = repository;
        this.declarations = declarations.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(JobDeclaration::job, d -> d));
        this.jdbc = jdbc;
        List<String> undeclared = registry.keySet().stream().filter(name -> !this.declarations.containsKey(name)).sorted().toList();
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("every job declares its parameters (a JobDeclaration bean); these do not: " + undeclared);
        }
    }

    /** At most this many executions run in this process at once; a launch or restart past it is refused as BUSY. */
    public void setMaxRunning(int maxRunning) {
        this.maxRunning = maxRunning;
    }

    public List<String> jobNames() {
        return registry.keySet().stream().sorted().toList();
    }

    public Job job(String name) {
        Job job = registry.get(name);
        if (job == null) {
            throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no job named '" + name + "'; jobs: " + jobNames());
        }
        return job;
    }

    public JobDeclaration declaration(String jobName) {
        job(jobName);
        return declarations.get(jobName);
    }

    /**
     * Parameters from plain text values, each parsed by the kind the job declares for it (see
     * {@link JobDeclaration}). Refused (BAD_REQUEST) before anything else: a value in Spring Batch's
     * {@code value,type} notation, whatever the job; then an unknown job (NOT_FOUND); then an
     * undeclared name, a value that does not parse, a missing required parameter.
     */
    public JobParameters parameters(String jobName, Map<String, String> values) {
        try {
            JobDeclaration.rejectTypeSuffixes(values);
        } catch (IllegalArgumentException e) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, e.getMessage());
        }
        JobDeclaration declaration = declaration(jobName);
        try {
            return declaration.parse(values);
        } catch (IllegalArgumentException e) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Starts a new instance; refused (BAD_REQUEST) when the parameters do not fit the job's
     * declaration, (CONFLICT) when the same instance is running or complete.
     */
    public JobExecution launch(String jobName, JobParameters parameters) {
        Job job = job(jobName);
        try {
            declarations.get(jobName).check(parameters);
        } catch (IllegalArgumentException e) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, e.getMessage());
        }
        synchronized (local) {
            return launchWithinCapacity(() -> {
                try (InstanceLock lock = lock(jobName, parameters)) {
                    return operator.start(job, parameters);
                }
            }, jobName);
        }
    }

    private interface Launch {
        JobExecution run() throws Exception;
    }

    /** Runs a launch if this process has room for one more execution, and tracks it. */
    private JobExecution launchWithinCapacity(Launch launch, String jobName) {
        local.values().removeIf(e -> !e.isRunning());
        if (local.size() >= maxRunning) {
            throw new JobControlException(JobControlException.Kind.BUSY, "this process runs " + local.size() + " executions, its "
                    + "limit (media.jobs.max-running): launch " + jobName + " again once one ends");
        }
        try {
            return track(launch.run());
        } catch (JobExecutionAlreadyRunningException e) {
            throw conflict("an execution of this instance of " + jobName + " is already running", e);
        } catch (JobInstanceAlreadyCompleteException e) {
            throw conflict("this instance of " + jobName + " is already complete: change an identifying parameter for a new one", e);
        } catch (JobRestartException e) {
            throw conflict("this instance of " + jobName + " cannot be run again: " + e.getMessage(), e);
        } catch (InvalidJobParametersException e) {
            throw new JobControlException(JobControlException.Kind.BAD_REQUEST, e.getMessage());
        } catch (ConcurrencyFailureException | DataIntegrityViolationException e) {
            // two launches of one instance at the same moment: the repository's serialisable
            // create, or the instance's unique key, lets exactly one of them through
            throw conflict("a concurrent launch of the same instance of " + jobName + " won", e);
        } catch (JobControlException | org.springframework.dao.DataAccessException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("launching " + jobName + " failed", e);
        }
    }

    public JobExecution execution(long id) {
        JobExecution execution;
        try {
            execution = repository.getJobExecution(id);
        } catch (org.springframework.dao.EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null) {
            throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no job execution " + id);
        }
        return execution;
    }

    /**
     * Asks a running execution to stop after its current chunks; it ends STOPPED and restartable.
     * Only the status is set to STOPPING, which every step reads back at its next commit. (Spring
     * Batch 6.0's {@code JobOperator.stop} also sets an end time, which makes the repository record
     * STOPPED at once while the steps run on, and then they never see a STOPPING to stop at.)
     */
    public JobExecution stop(long id) {
        JobExecution execution = execution(id);
        if (!execution.isRunning()) {
            throw conflict("execution " + id + " is not running (" + execution.getStatus() + ")", null);
        }
        if (execution.getStatus() != BatchStatus.STOPPING) {
            execution.setStatus(BatchStatus.STOPPING);
            repository.update(execution);
        }
        return execution(id);
    }

    /** Starts a new execution of a stopped or failed execution's instance, where it stopped. */
    public JobExecution restart(long id) {
        JobExecution execution = execution(id);
        JobExecution live = local.get(id);
        if (execution.isRunning() || live != null && live.isRunning()) {
            throw conflict("execution " + id + " is " + (live != null ? live.getStatus() : execution.getStatus())
                    + ": stop it first, or recover it if its process died", null);
        }
        String jobName = execution.getJobInstance().getJobName();
        synchronized (local) {
            return launchWithinCapacity(() -> {
                try (InstanceLock lock = lock(jobName, execution.getJobParameters())) {
                    return operator.restart(execution);
                }
            }, jobName);
        }
    }

    /**
     * Marks an execution whose process died (left STARTED or STOPPING) as FAILED so it can be
     * restarted. Refused while this process is running it.
     */
    public JobExecution recover(long id) {
        JobExecution execution = execution(id);
        if (!execution.isRunning()) {
            throw conflict("execution " + id + " is " + execution.getStatus() + ", there is nothing to recover", null);
        }
        JobExecution live = local.get(id);
        if (live != null && live.isRunning()) {
            throw conflict("execution " + id + " is running in this process: stop it instead", null);
        }
        return operator.recover(execution);
    }

    /**
     * Waits until an execution is no longer running, and returns it as stored. One launched by this
     * process is watched in memory, and read from the repository once it has ended there (reading a
     * partitioned execution is a query per step and its context, which a fast poll multiplies).
     */
    public JobExecution awaitEnd(long id, Duration poll) throws InterruptedException {
        while (true) {
            JobExecution live = local.get(id);
            if (live == null || !live.isRunning()) {
                JobExecution execution = execution(id);
                if (!execution.isRunning()) {
                    return execution;
                }
            }
            Thread.sleep(poll);
        }
    }

    /** The tenant an execution was launched for, or null when it took every tenant's data. */
    public static java.util.UUID tenantOf(JobExecution execution) {
        return JobDeclaration.tenantOf(execution.getJobParameters());
    }

    /** One page of a job's executions, newest first: those launched for {@code tenantId}, or every one when null. */
    public Page executions(String jobName, int page, int size, java.util.UUID tenantId) {
        job(jobName);
        String where = """
                from batch_job_execution e join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where i.job_name = :job and (cast(:tenant as text) is null or exists (
                    select 1 from batch_job_execution_params p
                    where p.job_execution_id = e.job_execution_id and p.parameter_name = 'tenant' and p.parameter_value = :tenant))""";
        String tenant = tenantId == null ? null : tenantId.toString();
        long total = jdbc.sql("select count(*) " + where).param("job", jobName).param("tenant", tenant).query(Long.class).single();
        List<JobExecution> executions = jdbc.sql("select e.job_execution_id " + where
                        + " order by e.job_execution_id desc limit :limit offset :offset")
                .param("job", jobName).param("tenant", tenant).param("limit", size).param("offset", (long) page * size)
                .query(Long.class).list().stream().map(this::execution).toList();
        return new Page(executions, page, size, total);
    }

    public Optional<JobExecution> lastExecution(String jobName, JobParameters parameters) {
        return Optional.ofNullable(repository.getLastJobExecution(jobName, parameters));
    }

    public record Page(List<JobExecution> executions, int page, int size, long total) {
    }

    /**
     * Launches of one job instance take turns, in this process and across every process on the same
     * database (a PostgreSQL advisory lock on the instance's key): the second one then finds the
     * first's execution and is refused as running or complete, never raced into the repository.
     */
    private InstanceLock lock(String jobName, JobParameters parameters) {
        long key = ByteBuffer.wrap(Sha256.newDigest().digest(
                (jobName + "\n" + jobKeys.generateKey(parameters)).getBytes(StandardCharsets.UTF_8)))
                .getLong();
        try {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, key);
                lock.execute();
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return new InstanceLock(connection, key);
        } catch (SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("cannot lock the job instance", e);
        }
    }

    private record InstanceLock(Connection connection, long key) implements AutoCloseable {
        @Override
        public void close() {
            try (connection; PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, key);
                unlock.execute();
            } catch (SQLException e) {
                // closing the session releases the lock anyway
            }
        }
    }

    private JobExecution track(JobExecution execution) {
        local.values().removeIf(e -> !e.isRunning());
        local.put(execution.getId(), execution);
        return execution;
    }

    private static JobControlException conflict(String message, Exception cause) {
        return new JobControlException(JobControlException.Kind.CONFLICT, message, cause);
    }
}
