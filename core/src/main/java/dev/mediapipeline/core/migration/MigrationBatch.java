package dev.mediapipeline.core.migration;

import dev.mediapipeline.core.media.PublishedAsset;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The frozen selection of a re-processing migration: what its query selected, frozen once per job
 * instance into {@code migration_item}, partitioned by ordinal range, and each item's state.
 */
public class MigrationBatch {

    private static final String SELECT = """
            from asset a
            join asset_version v on v.asset_id = a.id and v.version = a.current_version
            join file_ref f on f.sha256 = v.original_sha256
            where a.kind = 'IMAGE' and a.deleted_at is null
              and (cast(:profile as text) is null or v.profile_hash <> :profile)
              and (cast(:before as timestamptz) is null or v.created_at < :before)
              and (cast(:after as timestamptz) is null or v.created_at > :after)
              and (cast(:format as text) is null or not exists (
                      select 1 from rendition r where r.asset_id = a.id and r.version = v.version and r.format = :format))
              and (cast(:tools as text) is null or position(:tools in v.tools) = 0)
              and (cast(:tenant as uuid) is null or a.tenant_id = :tenant)
            """;

    private final JdbcClient jdbc;

    public MigrationBatch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the selection holds now, without freezing anything: for a dry run. */
    public Totals count(MigrationSelection selection) {
        return bind(jdbc.sql("select count(*) as assets, coalesce(sum(f.size), 0) as bytes, "
                + "coalesce(sum(v.width::bigint * v.height), 0) as pixels " + SELECT), selection)
                .query((rs, i) -> new Totals(rs.getLong("assets"), rs.getLong("bytes"), rs.getLong("pixels"))).single();
    }

    public record Totals(long assets, long bytes, long pixels) {
    }

    /**
     * Freezes the selection for a job instance, unless it is frozen already (a restart). Assets
     * pending in another migration are left out. Returns the number of items of the instance.
     */
    public int freeze(long jobInstanceId, MigrationSelection selection) {
        boolean frozen = jdbc.sql("select exists (select 1 from migration_item where job_instance_id = ?)")
                .param(jobInstanceId).query(Boolean.class).single();
        if (!frozen) {
            bind(jdbc.sql("""
                    insert into migration_item (job_instance_id, ordinal, asset_id, from_version, target_version)
                    select :instance, (row_number() over (order by a.id)) - 1, a.id, v.version,
                           (select max(version) + 1 from asset_version w where w.asset_id = a.id)
                    """ + SELECT + """
                    order by a.id
                    on conflict do nothing"""), selection).param("instance", jobInstanceId).update();
        }
        return jdbc.sql("select count(*) from migration_item where job_instance_id = ?").param(jobInstanceId)
                .query(Integer.class).single();
    }

    /** Contiguous ordinal ranges [first, last], at most {@code partitions} of them. */
    public List<long[]> ranges(long jobInstanceId, int partitions) {
        long items = jdbc.sql("select coalesce(max(ordinal) + 1, 0) from migration_item where job_instance_id = ?")
                .param(jobInstanceId).query(Long.class).single();
        List<long[]> ranges = new ArrayList<>();
        long size = Math.max(1, Math.ceilDiv(items, Math.max(1, partitions)));
        for (long first = 0; first < items; first += size) {
            ranges.add(new long[] {first, Math.min(items, first + size) - 1});
        }
        return ranges;
    }

    public List<PublishedAsset> pending(long jobInstanceId, long firstOrdinal, long lastOrdinal) {
        return jdbc.sql("""
                select m.asset_id, a.tenant_id, m.from_version, m.target_version, v.original_sha256, f.size, a.original_filename, v.scan_engine
                from migration_item m
                join asset a on a.id = m.asset_id
                join asset_version v on v.asset_id = m.asset_id and v.version = m.from_version
                join file_ref f on f.sha256 = v.original_sha256
                where m.job_instance_id = ? and m.ordinal between ? and ? and m.state = 'PENDING'
                order by m.ordinal""")
                .params(jobInstanceId, firstOrdinal, lastOrdinal)
                .query((rs, i) -> new PublishedAsset(rs.getObject("asset_id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getInt("from_version"),
                        rs.getInt("target_version"), rs.getString("original_sha256"), rs.getLong("size"),
                        rs.getString("original_filename"), rs.getString("scan_engine")))
                .list();
    }

    /** The version a pending migration of the asset creates. */
    public int targetVersion(UUID assetId) {
        return jdbc.sql("select target_version from migration_item where asset_id = ? and state = 'PENDING'")
                .param(assetId).query(Integer.class).single();
    }

    public void markMigrated(UUID assetId) {
        jdbc.sql("update migration_item set state = 'MIGRATED', updated_at = now() where asset_id = ? and state = 'PENDING'")
                .param(assetId).update();
    }

    public void markSkipped(UUID assetId, String reason) {
        jdbc.sql("update migration_item set state = 'SKIPPED', reason = ?, updated_at = now() where asset_id = ? and state = 'PENDING'")
                .params(reason, assetId).update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, MigrationSelection s) {
        return spec.param("profile", s.profileHashNot())
                .param("before", s.createdBefore() == null ? null : Timestamp.from(s.createdBefore()))
                .param("after", s.createdAfter() == null ? null : Timestamp.from(s.createdAfter()))
                .param("format", s.missingFormat())
                .param("tools", s.toolsWithout())
                .param("tenant", s.tenantId());
    }
}
