package dev.mediapipeline.schedules;

import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The schedules this deployment wants, {@code media.schedules.<name>.job/cron/zone}. Each is created
 * in the Quartz store at start-up when missing, and re-applied when its configured cron or zone
 * changed since; a change made over REST stands until the configuration itself changes.
 */
@ConfigurationProperties("media")
public record ScheduleProperties(@DefaultValue Map<String, Definition> schedules) {

    public static final String NIGHTLY_INGEST = "nightly-ingest";

    /**
     * @param job  the Spring Batch job to launch, by name
     * @param cron a Quartz cron expression (seconds first), for example {@code 0 0 2 * * ?}
     * @param zone the time zone of the cron and of the business date
     */
    public record Definition(String job, String cron, @DefaultValue("UTC") ZoneId zone) {
    }
}
