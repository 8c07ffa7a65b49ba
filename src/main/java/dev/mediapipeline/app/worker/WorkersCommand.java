package dev.mediapipeline.app.worker;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code ./media workers}: the worker JVMs whose heartbeat is recent (within twice
 * {@code media.workers.lease-timeout}), each with the partitions it runs now, then the partitions
 * whose worker went silent.
 */
@Component
public class WorkersCommand {

    private final JdbcClient jdbc;
    private final java.time.Duration leaseTimeout;

    WorkersCommand(JdbcClient jdbc, @Value("${media.workers.lease-timeout:30s}") java.time.Duration leaseTimeout) {
        this.jdbc = jdbc;
        this.leaseTimeout = leaseTimeout;
    }

    public int run(PrintStream out) {
        long silent = leaseTimeout.toSeconds() * 2;
        List<Map<String, Object>> workers = jdbc.sql("""
                select w.name, w.host, w.pid, w.started_at, w.heartbeat_at, w.metrics_url,
                       coalesce(string_agg(s.step_name || ' ' || l.step_execution_id || ' of job execution ' || s.job_execution_id, ', '
                                           order by l.step_execution_id), '') as running
                from media_worker w
                left join partition_lease l on l.worker = w.name and l.ended_at is null
                left join batch_step_execution s on s.step_execution_id = l.step_execution_id
                where w.heartbeat_at > now() - make_interval(secs => ?)
                group by w.name, w.host, w.pid, w.started_at, w.heartbeat_at, w.metrics_url order by w.name""").param(silent).query().listOfRows();
        out.println("live workers: " + workers.size());
        for (Map<String, Object> w : workers) {
            String running = (String) w.get("running");
            out.printf("  %s  host %s, pid %s, since %s, last heartbeat %s%s%n    %s%n", w.get("name"), w.get("host"), w.get("pid"),
                    w.get("started_at"), w.get("heartbeat_at"), w.get("metrics_url") == null ? "" : ", metrics " + w.get("metrics_url"),
                    running.isEmpty() ? "idle" : "running " + running);
        }
        List<String> lost = jdbc.sql("""
                select l.step_execution_id || ' (' || s.step_name || ', worker ' || l.worker || ', silent since ' || l.heartbeat_at || ')'
                from partition_lease l join batch_step_execution s on s.step_execution_id = l.step_execution_id
                where l.ended_at is null and l.heartbeat_at <= now() - make_interval(secs => ?) and s.status in ('STARTING', 'STARTED')
                order by l.step_execution_id""").param(leaseTimeout.toSeconds()).query(String.class).list();
        if (!lost.isEmpty()) {
            out.println("partitions whose worker went silent: " + lost.size());
            lost.forEach(l -> out.println("  " + l));
        }
        return 0;
    }
}
