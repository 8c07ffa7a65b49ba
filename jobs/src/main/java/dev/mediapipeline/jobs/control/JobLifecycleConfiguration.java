package dev.mediapipeline.jobs.control;

import java.time.Duration;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every job shares at run time: the executions of this process, and their graceful stop at shutdown. */
@Configuration(proxyBeanMethods = false)
public class JobLifecycleConfiguration {

    @Bean
    public LocalExecutions localExecutions() {
        return new LocalExecutions();
    }

    /** How long each item's processing takes: the slow ones are logged, and the fuzz command names any that hang. */
    @Bean
    public ItemClock itemClock(@Value("${media.ingest.slow-item:2m}") Duration slow) {
        return new ItemClock(slow);
    }

    @Bean
    GracefulShutdown gracefulJobShutdown(LocalExecutions localExecutions, JobRepository repository,
            @Value("${media.jobs.shutdown-grace:60s}") Duration grace) {
        return new GracefulShutdown(localExecutions, repository, grace);
    }
}
