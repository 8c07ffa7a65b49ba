package dev.mediapipeline.schedules;

import dev.mediapipeline.jobs.control.JobControl;
import org.quartz.Scheduler;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The Quartz schedules: the service over the JDBC store, and the configured ones registered at start-up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScheduleProperties.class)
public class SchedulesConfiguration {

    @Bean
    Schedules schedules(Scheduler scheduler, JobControl jobs, JdbcClient jdbc) {
        return new Schedules(scheduler, jobs, jdbc);
    }

    @Bean
    ApplicationRunner registerConfiguredSchedules(Schedules schedules, ScheduleProperties properties) {
        return arguments -> schedules.register(properties.schedules());
    }
}
