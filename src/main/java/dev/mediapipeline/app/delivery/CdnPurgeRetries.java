package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.cdn.PurgeQueue;
import dev.mediapipeline.jobs.cdn.CdnPurgeJobConfiguration;
import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import dev.mediapipeline.jobs.control.JobDeclaration;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Launches the {@code cdnPurge} job when a CDN purge that failed is due again, every
 * {@code media.cdn.retry-interval} (1 min): an instance per minute that has work, none otherwise.
 * Several servers on one database launch one instance (the run names the minute).
 */
@Component
@ConditionalOnWebApplication
class CdnPurgeRetries {

    private static final Logger log = LoggerFactory.getLogger(CdnPurgeRetries.class);

    private final PurgeQueue purges;
    private final JobControl jobs;
    private final Clock clock;

    CdnPurgeRetries(PurgeQueue purges, JobControl jobs, Clock clock) {
        this.purges = purges;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${media.cdn.retry-interval:1m}", initialDelayString = "${media.cdn.retry-interval:1m}")
    void retryDue() {
        if (!purges.active() || purges.due() == 0) {
            return;
        }
        try {
            jobs.launch(CdnPurgeJobConfiguration.JOB, new JobParametersBuilder()
                    .addString(JobDeclaration.RUN, "retry-" + clock.instant().truncatedTo(ChronoUnit.MINUTES)).toJobParameters());
        } catch (JobControlException e) {
            log.info("CDN purge retries not launched this time: {}", e.getMessage());
        }
    }
}
