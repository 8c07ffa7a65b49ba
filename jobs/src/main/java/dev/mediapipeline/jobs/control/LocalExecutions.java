package dev.mediapipeline.jobs.control;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * The executions running in this process, whoever launched them (REST, Quartz, the command line):
 * what a shutdown must stop before the process goes. Every job registers it as a listener.
 */
public class LocalExecutions implements JobExecutionListener {

    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();

    @Override
    public void beforeJob(JobExecution execution) {
        running.put(execution.getId(), execution);
    }

    @Override
    public void afterJob(JobExecution execution) {
        running.remove(execution.getId());
    }

    public List<JobExecution> running() {
        running.values().removeIf(e -> !e.isRunning());
        return List.copyOf(running.values());
    }
}
