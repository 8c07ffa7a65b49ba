package dev.mediapipeline.jobs.cdn;

import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.jobs.control.LocalExecutions;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Job {@value #JOB}: sends the CDN purges that are due and not yet acknowledged (the purge job's
 * {@code deliverPurges} step on its own). A purge is first sent right after the change that recorded
 * it; the server sends the due ones every {@code media.cdn.retry-interval} by itself, and this job does
 * the same on demand (an operator clearing a backlog after a CDN outage, say).
 */
@Configuration(proxyBeanMethods = false)
@Import(JobLifecycleConfiguration.class)
public class CdnPurgeJobConfiguration {

    public static final String JOB = "cdnPurge";

    @Bean
    JobDeclaration cdnPurgeParameters() {
        return new JobDeclaration(JOB, JobDeclaration.common(), false);
    }

    @Bean
    Job cdnPurge(JobRepository jobs, Step deliverPurges, LocalExecutions local) {
        return new JobBuilder(JOB, jobs).listener(local).start(deliverPurges).build();
    }
}
