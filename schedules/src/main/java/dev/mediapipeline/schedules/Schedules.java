package dev.mediapipeline.schedules;

import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schedules in the Quartz JDBC store: each a durable job ({@link LaunchJobByName}) with one cron
 * trigger of the same name. A trigger missed while no instance ran (downtime) fires once when one
 * is back, then keeps to its cron ("fire and proceed"), so a downtime of several days makes one run.
 */
public class Schedules {

    public static final String GROUP = "media";
    /** The configured cron and zone a schedule was last registered with (see {@link ScheduleProperties}). */
    static final String CONFIGURED = "configured";

    private final Scheduler scheduler;
    private final JobControl jobs;
    private final JdbcClient jdbc;

    public Schedules(Scheduler scheduler, JobControl jobs, JdbcClient jdbc) {
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.jdbc = jdbc;
    }

    public record View(String name, String job, String cron, String zone, String state, Instant nextFireTime,
            Instant previousFireTime) {
    }

    public record Run(long id, String businessDate, Instant scheduledFireTime, Instant firedAt, String schedulerInstance,
            String outcome, String detail, Long jobExecutionId) {
    }

    public List<View> list() {
        try {
            List<View> views = new ArrayList<>();
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                get(key.getName()).ifPresent(views::add);
            }
            views.sort(java.util.Comparator.comparing(View::name));
            return views;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read the schedules", e);
        }
    }

    public Optional<View> get(String name) {
        try {
            JobDetail detail = scheduler.getJobDetail(JobKey.jobKey(name, GROUP));
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(name, GROUP));
            if (detail == null || !(trigger instanceof CronTrigger cron)) {
                return Optional.empty();
            }
            Trigger.TriggerState state = scheduler.getTriggerState(trigger.getKey());
            return Optional.of(new View(name, detail.getJobDataMap().getString(LaunchJobByName.JOB_NAME), cron.getCronExpression(),
                    cron.getTimeZone().getID(), state.name(), instant(trigger.getNextFireTime()),
                    instant(trigger.getPreviousFireTime())));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read schedule " + name, e);
        }
    }

    public View require(String name) {
        return get(name).orElseThrow(() -> new JobControlException(JobControlException.Kind.NOT_FOUND, "no schedule named '" + name + "'"));
    }

    /** Creates the schedule, or changes its job, cron and zone (a paused one stays paused). */
    public View put(String name, String job, String cron, ZoneId zone) {
        return put(name, job, cron, zone, null);
    }

    View put(String name, String job, String cron, ZoneId zone, String configured) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}")) {
            throw bad("a schedule name is 1 to 101 letters, digits, '.', '_' or '-'");
        }
        jobs.job(job);
        if (cron == null || !CronExpression.isValidExpression(cron)) {
            throw bad("'" + cron + "' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year])");
        }
        try {
            JobKey key = JobKey.jobKey(name, GROUP);
            JobDetail existing = scheduler.getJobDetail(key);
            JobBuilder detail = JobBuilder.newJob(LaunchJobByName.class).withIdentity(key).storeDurably()
                    .withDescription("launches " + job)
                    .usingJobData(LaunchJobByName.JOB_NAME, job)
                    .usingJobData(LaunchJobByName.ZONE, zone.getId());
            String kept = configured != null ? configured
                    : existing != null ? existing.getJobDataMap().getString(CONFIGURED) : null;
            if (kept != null) {
                detail.usingJobData(CONFIGURED, kept);
            }
            TriggerKey triggerKey = TriggerKey.triggerKey(name, GROUP);
            boolean paused = scheduler.getTriggerState(triggerKey) == Trigger.TriggerState.PAUSED;
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(key)
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(java.util.TimeZone.getTimeZone(zone))
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            scheduler.scheduleJob(detail.build(), java.util.Set.of(trigger), true);
            if (paused) {
                scheduler.pauseTrigger(triggerKey);
            }
            return require(name);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot store schedule " + name, e);
        }
    }

    public View pause(String name) {
        require(name);
        try {
            scheduler.pauseTrigger(TriggerKey.triggerKey(name, GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot pause schedule " + name, e);
        }
        return require(name);
    }

    /** Resumes a paused schedule; fires it missed while paused count as misfires: at most one run. */
    public View resume(String name) {
        require(name);
        try {
            scheduler.resumeTrigger(TriggerKey.triggerKey(name, GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot resume schedule " + name, e);
        }
        return require(name);
    }

    public void delete(String name) {
        require(name);
        try {
            scheduler.deleteJob(JobKey.jobKey(name, GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot delete schedule " + name, e);
        }
    }

    /** The newest fires of a schedule, on every node. */
    public List<Run> runs(String name, int limit) {
        return jdbc.sql("""
                select id, business_date::text as business_date, scheduled_fire_time, fired_at, scheduler_instance, outcome,
                       detail, job_execution_id
                from schedule_run where schedule_name = ? order by id desc limit ?""")
                .params(name, limit)
                .query((rs, i) -> new Run(rs.getLong("id"), rs.getString("business_date"),
                        rs.getTimestamp("scheduled_fire_time").toInstant(), rs.getTimestamp("fired_at").toInstant(),
                        rs.getString("scheduler_instance"), rs.getString("outcome"), rs.getString("detail"),
                        (Long) rs.getObject("job_execution_id")))
                .list();
    }

    /** Registers the configured schedules: created when missing, re-applied when their configuration changed. */
    void register(Map<String, ScheduleProperties.Definition> configured) {
        configured.forEach((name, definition) -> {
            String signature = definition.job() + " " + definition.cron() + " " + definition.zone().getId();
            try {
                JobDetail existing = scheduler.getJobDetail(JobKey.jobKey(name, GROUP));
                if (existing == null || !signature.equals(existing.getJobDataMap().getString(CONFIGURED))) {
                    put(name, definition.job(), definition.cron(), definition.zone(), signature);
                }
            } catch (SchedulerException e) {
                throw new IllegalStateException("cannot register schedule " + name, e);
            }
        });
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static JobControlException bad(String message) {
        return new JobControlException(JobControlException.Kind.BAD_REQUEST, message);
    }
}
