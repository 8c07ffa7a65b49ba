package dev.mediapipeline.schedules;

import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * What a schedule's trigger does when it fires: launch its Spring Batch job with the business date
 * (the date of the scheduled fire time in the schedule's zone) as the identifying parameter, so a
 * date runs once however often its trigger fires, and record the fire in {@code schedule_run}.
 * Never two fires of one schedule at once, cluster-wide (the JDBC store's non-concurrent flag).
 */
@DisallowConcurrentExecution
public class LaunchJobByName extends QuartzJobBean {

    public static final String JOB_NAME = "job";
    public static final String ZONE = "zone";
    public static final String BUSINESS_DATE = "businessDate";
    public static final String SCHEDULE = "schedule";

    private static final Logger log = LoggerFactory.getLogger(LaunchJobByName.class);

    private JobControl jobs;
    private JdbcClient jdbc;

    @Autowired
    public void setJobControl(JobControl jobs) {
        this.jobs = jobs;
    }

    @Autowired
    public void setJdbcClient(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        String schedule = context.getJobDetail().getKey().getName();
        String jobName = data.getString(JOB_NAME);
        LocalDate businessDate = LocalDate.ofInstant(context.getScheduledFireTime().toInstant(), ZoneId.of(data.getString(ZONE)));
        JobParameters parameters = new JobParametersBuilder()
                .addLocalDate(BUSINESS_DATE, businessDate)
                .addString(SCHEDULE, schedule, false)
                .toJobParameters();
        String outcome;
        String detail = null;
        Long executionId = null;
        try {
            JobExecution execution = jobs.launch(jobName, parameters);
            executionId = execution.getId();
            outcome = "LAUNCHED";
            log.info("schedule {} launched {} for business date {}: execution {}", schedule, jobName, businessDate, executionId);
        } catch (JobControlException e) {
            outcome = e.kind() == JobControlException.Kind.CONFLICT || e.kind() == JobControlException.Kind.BUSY ? "REFUSED" : "FAILED";
            detail = e.getMessage();
            log.info("schedule {} launched nothing for business date {}: {}", schedule, businessDate, detail);
        } catch (RuntimeException e) {
            outcome = "FAILED";
            detail = e.toString();
            log.error("schedule {} could not launch {} for business date {}", schedule, jobName, businessDate, e);
        }
        jdbc.sql("""
                insert into schedule_run (schedule_name, job_name, business_date, scheduled_fire_time, scheduler_instance,
                                          outcome, detail, job_execution_id)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(schedule, jobName, businessDate, context.getScheduledFireTime().toInstant().atOffset(java.time.ZoneOffset.UTC),
                        instance(context), outcome, detail, executionId)
                .update();
    }

    private static String instance(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "unknown";
        }
    }
}
