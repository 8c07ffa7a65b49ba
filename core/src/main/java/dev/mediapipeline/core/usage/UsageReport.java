package dev.mediapipeline.core.usage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** The rolled-up usage, read for {@code GET /usage}: by day, by format or by asset, of one tenant or all. */
public class UsageReport {

    /** The longest range one request may ask for. */
    public static final int MAX_DAYS = 366;

    public enum GroupBy {
        DAY, FORMAT, ASSET;

        public static GroupBy of(String text) {
            for (GroupBy g : values()) {
                if (g.name().equalsIgnoreCase(text)) {
                    return g;
                }
            }
            throw new IllegalArgumentException("groupBy is day, format or asset, not '" + text + "'");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final JdbcTemplate jdbc;

    public UsageReport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The rows from {@code from} to {@code to} (both included) of {@code tenant}, or of every tenant
     * when null.
     *
     * @param limit for {@link GroupBy#ASSET}: how many assets, most bytes first
     * @throws IllegalArgumentException when the range is backwards or longer than {@link #MAX_DAYS}
     */
    public List<Map<String, Object>> rows(LocalDate from, LocalDate to, GroupBy groupBy, UUID tenant, int limit) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw new IllegalArgumentException("a range is at most " + MAX_DAYS + " days");
        }
        String tenants = "(cast(? as uuid) is null or x.tenant_id = ?)";
        List<Map<String, Object>> rows = switch (groupBy) {
            case DAY -> jdbc.queryForList("""
                    select x.tenant_id as "tenant", t.name as "tenantName", x.day as "day", x.requests as "requests", x.bytes as "bytes",
                           x.image_bytes as "imageBytes", x.stream_bytes as "streamBytes", x.edge_requests as "edgeRequests",
                           x.edge_hits as "edgeHits", x.edge_hit_bytes as "edgeHitBytes", x.origin_fetch_bytes as "originFetchBytes",
                           x.uploads as "uploads", x.upload_bytes as "uploadBytes", x.items as "items", x.encode_ms / 1000.0 as "encodeSeconds",
                           x.assets_deleted as "assetsDeleted",
                           coalesce((select sum(s.bytes) from usage_storage s where s.tenant_id = x.tenant_id and s.day = x.day), 0) as "storageBytes",
                           coalesce((select sum(s.objects) from usage_storage s where s.tenant_id = x.tenant_id and s.day = x.day), 0) as "storageObjects"
                    from usage_daily x join tenant t on t.id = x.tenant_id
                    where x.day between ? and ? and %s order by x.day, t.name""".formatted(tenants), from, to, tenant, tenant);
            case FORMAT -> jdbc.queryForList("""
                    with delivered as (
                        select tenant_id, format, sum(requests) as requests, sum(bytes) as bytes, sum(edge_hits) as edge_hits
                        from usage_daily_format x where day between ? and ? and %1$s group by tenant_id, format),
                    stored as (
                        select tenant_id, kind as format, max(bytes) as bytes, max(objects) as objects
                        from usage_storage x where day between ? and ? and %1$s group by tenant_id, kind)
                    select coalesce(d.tenant_id, s.tenant_id) as "tenant", t.name as "tenantName", coalesce(d.format, s.format) as "format",
                           coalesce(d.requests, 0) as "requests", coalesce(d.bytes, 0) as "bytes", coalesce(d.edge_hits, 0) as "edgeHits",
                           coalesce(s.bytes, 0) as "storageBytes", coalesce(s.objects, 0) as "storageObjects"
                    from delivered d full join stored s on s.tenant_id = d.tenant_id and s.format = d.format
                    join tenant t on t.id = coalesce(d.tenant_id, s.tenant_id)
                    order by t.name, "bytes" desc, "format"
                    """.formatted(tenants), from, to, tenant, tenant, from, to, tenant, tenant);
            case ASSET -> jdbc.queryForList("""
                    select x.tenant_id as "tenant", t.name as "tenantName", x.asset_id as "asset", sum(x.requests) as "requests",
                           sum(x.bytes) as "bytes"
                    from usage_daily_asset x join tenant t on t.id = x.tenant_id
                    where x.day between ? and ? and %s group by x.tenant_id, t.name, x.asset_id
                    order by "bytes" desc, x.asset_id limit ?""".formatted(tenants), from, to, tenant, tenant, limit);
        };
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            if (copy.get("day") instanceof java.sql.Date date) {
                copy.put("day", date.toLocalDate().toString());
            }
            if (copy.get("encodeSeconds") instanceof java.math.BigDecimal seconds) {
                copy.put("encodeSeconds", seconds.doubleValue());
            }
            out.add(copy);
        }
        return out;
    }
}
