package dev.mediapipeline.jobs.migration;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rendering rate a dry run's time estimate uses: megapixels per second measured on this
 * installation by the newest completed ingest or migration that rendered anything, else 10 MP/s
 * (about what the image benchmark measures on two cores).
 */
class MigrationEstimate {

    static final double DEFAULT_MEGAPIXELS_PER_SECOND = 10.0;

    private final JdbcClient jdbc;

    MigrationEstimate(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Rate(double megapixelsPerSecond, String basis) {
    }

    Rate rate() {
        List<Rate> measured = jdbc.sql("""
                select sum(v.width::bigint * v.height) / 1e6 / extract(epoch from (s.end_time - s.start_time)) as rate,
                       s.job_execution_id
                from batch_step_execution s
                join asset_version v on v.job_execution_id = s.job_execution_id
                where s.step_name in ('ingestPartitions', 'migratePartitions') and s.status = 'COMPLETED'
                  and s.end_time > s.start_time
                group by s.step_execution_id, s.job_execution_id, s.start_time, s.end_time
                order by s.step_execution_id desc
                limit 1""")
                .query((rs, i) -> new Rate(rs.getDouble("rate"), "measured by job execution " + rs.getLong("job_execution_id")))
                .list();
        return measured.isEmpty() || !(measured.getFirst().megapixelsPerSecond() > 0)
                ? new Rate(DEFAULT_MEGAPIXELS_PER_SECOND, "default") : measured.getFirst();
    }
}
