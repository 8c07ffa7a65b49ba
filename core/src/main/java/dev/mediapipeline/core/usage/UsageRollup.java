package dev.mediapipeline.core.usage;

import java.sql.Timestamp;
import java.time.LocalDate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rolls one day's usage up per tenant ({@code usage_daily}, {@code usage_daily_format},
 * {@code usage_daily_asset}), recomputed from the raw counts and the catalogue in one transaction: run
 * again it gives the same rows, so a day can be recomputed as often as late counts arrive (the edge's
 * log, a flush). Delivered means what reached clients: the origin's answers to clients plus the
 * edge's, never the edge's own fetches from the origin. The storage snapshot is a point in time, taken
 * by {@link #snapshotStorage} and kept at the day's peak.
 */
public class UsageRollup {

    /** Per tenant and day, the assets kept by bytes delivered. */
    public static final int TOP_ASSETS = 100;

    private static final String CLIENT = "(source = 'edge' or cache = 'origin')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public UsageRollup(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Recomputes {@code day} for every tenant; returns how many tenants had usage that day. */
    public int rollup(LocalDate day) {
        Timestamp start = Timestamp.from(UsageDay.start(day));
        Timestamp end = Timestamp.from(UsageDay.start(day.plusDays(1)));
        Integer tenants = transactions.execute(tx -> {
            // one rollup of a day at a time (a nightly run and one on demand): the second waits, then recomputes
            jdbc.query("select pg_advisory_xact_lock(hashtext('usage-rollup'), ?)", (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
            }, (int) day.toEpochDay());
            jdbc.update("delete from usage_daily where day = ?", day);
            jdbc.update("delete from usage_daily_format where day = ?", day);
            jdbc.update("delete from usage_daily_asset where day = ?", day);
            int rows = jdbc.update("""
                    with delivery as (
                        select tenant_id,
                               sum(requests) filter (where %1$s) as requests,
                               sum(bytes) filter (where %1$s) as bytes,
                               sum(bytes) filter (where %1$s and kind in ('image', 'original')) as image_bytes,
                               sum(bytes) filter (where %1$s and kind = 'stream') as stream_bytes,
                               sum(requests) filter (where source = 'edge') as edge_requests,
                               sum(requests) filter (where source = 'edge' and cache = 'hit') as edge_hits,
                               sum(bytes) filter (where source = 'edge' and cache = 'hit') as edge_hit_bytes,
                               sum(bytes) filter (where cache = 'fetch') as origin_fetch_bytes
                        from usage_delivery where day = ? group by tenant_id),
                    uploads as (select tenant_id, uploads, bytes from usage_upload where day = ?),
                    published as (select tenant_id, items, encode_ms from usage_processing where day = ?),
                    deleted as (
                        select tenant_id, count(*) as assets from asset_event
                        where action = 'purge' and created_at >= ? and created_at < ? group by tenant_id),
                    tenants as (
                        select tenant_id from delivery union select tenant_id from uploads
                        union select tenant_id from published union select tenant_id from deleted
                        union select tenant_id from usage_storage where day = ?)
                    insert into usage_daily (tenant_id, day, requests, bytes, image_bytes, stream_bytes, edge_requests, edge_hits, edge_hit_bytes,
                                             origin_fetch_bytes, uploads, upload_bytes, items, encode_ms, assets_deleted)
                    select t.tenant_id, ?, coalesce(d.requests, 0), coalesce(d.bytes, 0), coalesce(d.image_bytes, 0), coalesce(d.stream_bytes, 0),
                           coalesce(d.edge_requests, 0), coalesce(d.edge_hits, 0), coalesce(d.edge_hit_bytes, 0), coalesce(d.origin_fetch_bytes, 0),
                           coalesce(u.uploads, 0), coalesce(u.bytes, 0), coalesce(p.items, 0), coalesce(p.encode_ms, 0), coalesce(x.assets, 0)
                    from tenants t join tenant on tenant.id = t.tenant_id
                    left join delivery d on d.tenant_id = t.tenant_id left join uploads u on u.tenant_id = t.tenant_id
                    left join published p on p.tenant_id = t.tenant_id left join deleted x on x.tenant_id = t.tenant_id
                    """.formatted(CLIENT), day, day, day, start, end, day, day);
            jdbc.update("""
                    insert into usage_daily_format (tenant_id, day, format, requests, bytes, edge_hits)
                    select tenant_id, day, format, coalesce(sum(requests) filter (where %1$s), 0), coalesce(sum(bytes) filter (where %1$s), 0),
                           coalesce(sum(requests) filter (where source = 'edge' and cache = 'hit'), 0)
                    from usage_delivery where day = ? group by tenant_id, day, format
                    having count(*) filter (where %1$s) > 0""".formatted(CLIENT), day);
            jdbc.update("""
                    insert into usage_daily_asset (tenant_id, day, asset_id, requests, bytes)
                    select tenant_id, day, asset_id, requests, bytes from (
                        select tenant_id, day, asset_id, sum(requests) as requests, sum(bytes) as bytes,
                               row_number() over (partition by tenant_id order by sum(bytes) desc, asset_id) as rank
                        from usage_delivery where day = ? and %s and asset_id <> ?
                        group by tenant_id, day, asset_id) ranked
                    where rank <= ?""".formatted(CLIENT), day, DeliveryFormat.NO_ASSET, TOP_ASSETS);
            return rows;
        });
        return tenants == null ? 0 : tenants;
    }

    /**
     * Measures what every tenant stores now (originals, renditions by format, streams; bytes and
     * objects, each version's files counted for it) and keeps it as {@code day}'s figure where it is
     * higher than what the day held; returns how many rows it wrote.
     */
    public int snapshotStorage(LocalDate day) {
        Integer rows = transactions.execute(tx -> jdbc.update("""
                insert into usage_storage as s (tenant_id, day, kind, bytes, objects)
                select tenant_id, ?, kind, sum(bytes), sum(objects) from (
                    select a.tenant_id, 'original' as kind, f.size as bytes, 1 as objects
                    from asset_version v join asset a on a.id = v.asset_id join file_ref f on f.sha256 = v.original_sha256
                    union all
                    select a.tenant_id, r.format, f.size, 1
                    from rendition r join asset a on a.id = r.asset_id join file_ref f on f.sha256 = r.sha256
                    union all
                    select a.tenant_id, 'stream', st.bytes, st.objects
                    from video_stream st join asset a on a.id = st.asset_id) stored
                group by tenant_id, kind
                on conflict (tenant_id, day, kind)
                do update set bytes = greatest(s.bytes, excluded.bytes), objects = greatest(s.objects, excluded.objects)""", day));
        return rows == null ? 0 : rows;
    }
}
