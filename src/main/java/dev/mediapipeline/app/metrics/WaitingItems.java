package dev.mediapipeline.app.metrics;

import dev.mediapipeline.core.metrics.PipelineMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code media.items.waiting} [{@code media_items_waiting}]: the items still PENDING per job instance
 * (tags {@code job} and {@code instance}), of ingests and migrations, read every
 * {@code media.metrics.waiting-interval} (15 s). Only instances with waiting items have a series: a
 * running one, or a failed one waiting for its restart; the series goes when its last item is done.
 */
@Component
public class WaitingItems {

    private final JdbcClient jdbc;
    private final MultiGauge waiting;

    WaitingItems(JdbcClient jdbc, PipelineMetrics metrics) {
        this.jdbc = jdbc;
        this.waiting = MultiGauge.builder("media.items.waiting").description("Items waiting (PENDING) per job instance")
                .register(metrics.registry());
    }

    /** Reads the waiting items again (on the schedule; tests call it to see them at once). */
    @Scheduled(fixedDelayString = "${media.metrics.waiting-interval:15s}")
    public void refresh() {
        var rows = jdbc.sql("""
                select i.job_name, w.job_instance_id, w.waiting from (
                    select job_instance_id, count(*) as waiting from ingest_item where state = 'PENDING' group by job_instance_id
                    union all
                    select job_instance_id, count(*) from migration_item where state = 'PENDING' group by job_instance_id) w
                join batch_job_instance i on i.job_instance_id = w.job_instance_id""")
                .query((rs, n) -> MultiGauge.Row.of(Tags.of("job", rs.getString(1), "instance", Long.toString(rs.getLong(2))), rs.getLong(3)))
                .list();
        waiting.register(rows, true);
    }
}
