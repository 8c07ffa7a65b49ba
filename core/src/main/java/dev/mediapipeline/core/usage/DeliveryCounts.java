package dev.mediapipeline.core.usage;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Adds delivery counts to {@code usage_delivery}, the one way both sources (the origin's meter, the edge's log) write them. */
final class DeliveryCounts {

    /** One count to add: a day's requests and bytes of one tenant, asset, kind, format and cache outcome. */
    record Row(LocalDate day, UUID tenantId, UUID assetId, String kind, String format, String cache, long requests, long bytes) {
    }

    private DeliveryCounts() {
    }

    /**
     * Adds {@code rows} under {@code source} (origin or edge), in one order (two writers never wait on
     * each other's rows in a cycle); a row of a tenant deleted meanwhile is dropped.
     */
    static void add(JdbcTemplate jdbc, String source, List<Row> rows) {
        List<Row> ordered = rows.stream().sorted(Comparator.comparing(Row::toString)).toList();
        jdbc.batchUpdate("""
                insert into usage_delivery as u (day, tenant_id, asset_id, kind, format, source, cache, requests, bytes)
                select ?, ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from tenant where id = ?)
                on conflict (day, tenant_id, asset_id, kind, format, source, cache)
                do update set requests = u.requests + excluded.requests, bytes = u.bytes + excluded.bytes""", ordered, 500, (ps, r) -> {
            ps.setObject(1, r.day());
            ps.setObject(2, r.tenantId());
            ps.setObject(3, r.assetId());
            ps.setString(4, r.kind());
            ps.setString(5, r.format());
            ps.setString(6, source);
            ps.setString(7, r.cache());
            ps.setLong(8, r.requests());
            ps.setLong(9, r.bytes());
            ps.setObject(10, r.tenantId());
        });
    }
}
