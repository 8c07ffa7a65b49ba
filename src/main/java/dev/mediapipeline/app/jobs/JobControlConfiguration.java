package dev.mediapipeline.app.jobs;

import dev.mediapipeline.jobs.control.JobControl;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import dev.mediapipeline.jobs.control.JobDeclaration;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jobs run in the background: a launch returns as soon as its execution is stored, so the REST API
 * answers 202 at once and a Quartz trigger never holds its thread for a whole job.
 */
@Configuration(proxyBeanMethods = false)
class JobControlConfiguration {

    @Bean
    @BatchTaskExecutor
    TaskExecutor jobTaskExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("job-");
        executor.setDaemon(false);
        return executor;
    }

    @Bean
    JobControl jobControl(JobOperator operator, List<Job> jobs, JobRepository repository, List<JobDeclaration> declarations,
            JdbcClient jdbc, DataSource dataSource, @org.springframework.beans.factory.annotation.Value("${media.jobs.max-running:4}") int maxRunning) {
        JobControl control = new JobControl(operator, jobs, repository, declarations, jdbc, dataSource);
        // launches past it are refused (503 with Retry-After, a schedule's fire REFUSED), never queued without bound
        control.setMaxRunning(maxRunning);
        return control;
    }
}
