package dev.mediapipeline.app.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.scheduling.quartz.SpringBeanJobFactory;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/** The Quartz schedules in PostgreSQL, over REST, with misfires and a second clustered node. */
class SchedulesTest extends AppTestBase {

    @Autowired
    Scheduler scheduler;
    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    QuartzProperties quartz;
    @Autowired
    ApplicationContext context;

    @Test
    void theConfiguredNightlyIngestionIsInTheJdbcStore() {
        Reply list = http.get("/schedules");
        assertThat(list.status()).isEqualTo(200);
        JsonNode nightly = http.get("/schedules/nightly-ingest").body();
        assertThat(nightly.get("job").asString()).isEqualTo("mediaIngest");
        assertThat(nightly.get("cron").asString()).isEqualTo("0 0 2 1 1 ? 2099");
        assertThat(nightly.get("zone").asString()).isEqualTo("UTC");
        assertThat(nightly.get("state").asString()).isEqualTo("NORMAL");
        assertThat(nightly.get("nextFireTime").asString()).isEqualTo("2099-01-01T02:00:00Z");
        assertThat(jdbc.sql("select count(*) from qrtz_cron_triggers where trigger_name = 'nightly-ingest'").query(Long.class).single())
                .as("stored in PostgreSQL, not in memory").isEqualTo(1);
    }

    @Test
    void schedulesAreCreatedChangedPausedResumedAndDeletedOverRest() {
        Reply created = http.put("/schedules/weekly-report", "{\"job\": \"mediaIngest\", \"cron\": \"0 30 3 ? * MON\", \"zone\": \"Europe/Paris\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().get("state").asString()).isEqualTo("NORMAL");
        Instant next = Instant.parse(created.body().get("nextFireTime").asString());
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Paris")).getHour()).isEqualTo(3);
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Paris")).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);

        Reply badCron = http.put("/schedules/weekly-report", "{\"job\": \"mediaIngest\", \"cron\": \"every monday\"}");
        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.contentType()).startsWith("application/problem+json");
        assertThat(http.put("/schedules/weekly-report", "{\"job\": \"noSuchJob\", \"cron\": \"0 0 1 * * ?\"}").status()).isEqualTo(404);
        assertThat(http.put("/schedules/weekly-report", "{\"job\": \"mediaIngest\", \"cron\": \"0 0 1 * * ?\", \"zone\": \"Mars/Base\"}").status())
                .isEqualTo(400);
        assertThat(http.get("/schedules/weekly-report").body().get("cron").asString()).as("a refused change changes nothing")
                .isEqualTo("0 30 3 ? * MON");

        assertThat(http.post("/schedules/weekly-report/pause", null).body().get("state").asString()).isEqualTo("PAUSED");
        Reply changed = http.put("/schedules/weekly-report", "{\"job\": \"mediaIngest\", \"cron\": \"0 15 4 ? * TUE\", \"zone\": \"Europe/Paris\"}");
        assertThat(changed.body().get("cron").asString()).isEqualTo("0 15 4 ? * TUE");
        assertThat(changed.body().get("state").asString()).as("a change keeps a pause").isEqualTo("PAUSED");
        assertThat(http.post("/schedules/weekly-report/resume", null).body().get("state").asString()).isEqualTo("NORMAL");
        assertThat(http.get("/schedules").body().toString()).contains("weekly-report").contains("nightly-ingest");

        assertThat(http.delete("/schedules/weekly-report").status()).isEqualTo(204);
        Reply gone = http.get("/schedules/weekly-report");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aTriggerMissedDuringDowntimeRunsOnceWhenTheSchedulerIsBack() throws Exception {
        http.put("/schedules/catch-up", "{\"job\": \"mediaIngest\", \"cron\": \"0 0 2 * * ?\", \"zone\": \"UTC\"}");
        // downtime: no scheduler runs while the trigger's fire times pass; three nights are missed
        scheduler.standby();
        SchedulerFactoryBean restarted = null;
        try {
            long threeNightsAgo = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
            assertThat(jdbc.sql("update qrtz_triggers set next_fire_time = ? where trigger_name = 'catch-up'")
                    .param(threeNightsAgo).update()).isEqualTo(1);
            // then an instance starts again
            restarted = startNode("restarted-node");
            awaitRuns("catch-up", 1, Duration.ofSeconds(60));
        } finally {
            if (restarted != null) {
                restarted.destroy();
            }
            scheduler.start();
        }
        List<Map<String, Object>> runs = awaitRuns("catch-up", 1, Duration.ofSeconds(60));
        Thread.sleep(3000); // time for any further (wrong) fire to show
        runs = runs("catch-up");
        assertThat(runs).as("three missed nights make one run").hasSize(1);
        Map<String, Object> run = runs.getFirst();
        assertThat(run.get("outcome")).isEqualTo("LAUNCHED");
        assertThat(run.get("business_date").toString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        Instant next = Instant.parse(http.get("/schedules/catch-up").body().get("nextFireTime").asString());
        assertThat(next).as("then back on its cron").isAfter(Instant.now());
        assertThat(next.atZone(ZoneOffset.UTC).getHour()).isEqualTo(2);
        JsonNode execution = http.awaitEnd(((Number) run.get("job_execution_id")).longValue());
        assertThat(execution.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(execution.get("parameters").get("businessDate").asString()).isEqualTo(run.get("business_date").toString());
        assertThat(http.get("/schedules/catch-up/runs").body().size()).isEqualTo(1);
        http.delete("/schedules/catch-up");
    }

    @Test
    void ofTwoClusteredInstancesExactlyOneFiresEachTriggerAndEachDateRunsOnce() throws Exception {
        SchedulerFactoryBean secondNode = startNode("second-node");
        try {
            assertThat(secondNode.getScheduler().getSchedulerInstanceId()).isNotEqualTo(scheduler.getSchedulerInstanceId());
            http.put("/schedules/every-second", "{\"job\": \"mediaIngest\", \"cron\": \"* * * * * ?\", \"zone\": \"UTC\"}");
            awaitRuns("every-second", 6, Duration.ofSeconds(60));
            http.post("/schedules/every-second/pause", null);
        } finally {
            secondNode.destroy();
        }
        Thread.sleep(1500);
        List<Map<String, Object>> runs = runs("every-second");
        assertThat(runs).hasSizeGreaterThanOrEqualTo(6);
        assertThat(runs).extracting(r -> r.get("scheduled_fire_time")).as("no fire time fired twice").doesNotHaveDuplicates();
        assertThat(runs).extracting(r -> r.get("outcome")).as("each fire launched, or was refused as a date already run")
                .allMatch(o -> o.equals("LAUNCHED") || o.equals("REFUSED"));
        for (Object date : runs.stream().map(r -> r.get("business_date")).distinct().toList()) {
            assertThat(jdbc.sql("""
                    select count(distinct e.job_instance_id) from batch_job_execution e
                    join batch_job_execution_params p using (job_execution_id)
                    join batch_job_instance i using (job_instance_id)
                    where i.job_name = 'mediaIngest' and p.parameter_name = 'businessDate' and p.parameter_value = ?""")
                    .param(date.toString()).query(Long.class).single()).as("instances for business date " + date).isEqualTo(1);
        }
        http.delete("/schedules/every-second");
    }

    /** Another scheduler instance of the same cluster: same name and tables, its own instance id. */
    private SchedulerFactoryBean startNode(String instanceId) throws Exception {
        SchedulerFactoryBean node = new SchedulerFactoryBean();
        Properties properties = new Properties();
        properties.putAll(quartz.getProperties());
        properties.put("org.quartz.scheduler.instanceId", instanceId);
        node.setQuartzProperties(properties);
        node.setSchedulerName(quartz.getSchedulerName());
        node.setDataSource(dataSource);
        node.setTransactionManager(transactions);
        SpringBeanJobFactory jobFactory = new SpringBeanJobFactory();
        jobFactory.setApplicationContext(context);
        node.setJobFactory(jobFactory);
        node.setApplicationContext(context);
        node.afterPropertiesSet();
        node.start();
        return node;
    }

    private List<Map<String, Object>> runs(String schedule) {
        return jdbc.sql("select * from schedule_run where schedule_name = ? order by id").param(schedule).query().listOfRows();
    }

    private List<Map<String, Object>> awaitRuns(String schedule, int n, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Map<String, Object>> runs = runs(schedule);
            if (runs.size() >= n) {
                return runs;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("schedule " + schedule + " did not fire " + n + " times within " + timeout);
    }

}
