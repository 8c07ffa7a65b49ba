package dev.mediapipeline.core.download;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Batch downloads in PostgreSQL: the request, its frozen entries (the archive's members in order)
 * and the multipart upload's recorded parts.
 */
public class DownloadBatch {

    private final JdbcClient jdbc;

    public DownloadBatch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What a download asks for. {@code renditions}: {@code original}, a format ({@code webp}: its
     * widest rendition) or format and width ({@code jpeg/640}), comma separated.
     */
    /**
     * @param tenantId   whose download it is
     * @param allTenants whether it may take other tenants' assets (an admin's); else only {@code tenantId}'s
     */
    public record Request(UUID id, UUID tenantId, boolean allTenants, List<UUID> assetIds, String createdAfter, List<String> renditions,
            String bucket, String objectKey) {
    }

    /** @param allTenants an admin's download, which may hold any tenant's assets: only admins see it */
    public record Download(UUID id, UUID tenantId, boolean allTenants, String state, String bucket, String objectKey, String uploadId, Long size, Integer entries,
            Long jobExecutionId, java.time.Instant createdAt, java.time.Instant completedAt, String failure) {
    }

    public record Entry(int ordinal, String name, String bucket, String objectKey, String sha256, long size) {
    }

    /** An entry once written: its CRC-32 and where its local header starts in the archive. */
    public record WrittenEntry(int ordinal, long crc32, long headerOffset) {
    }

    public record Part(int number, String etag, long size, int firstEntry, int nextEntry, long endOffset, boolean last) {
    }

    public static List<String> parseRenditions(String text) {
        List<String> specs = new ArrayList<>();
        for (String raw : text.split(",")) {
            String spec = raw.strip().toLowerCase(Locale.ROOT);
            if (!spec.matches("original|(jpeg|png|webp|avif)(/[1-9][0-9]{0,4})?")) {
                throw new IllegalArgumentException("'" + raw.strip() + "' is not a rendition: use original, a format "
                        + "(jpeg, png, webp: the widest one) or format/width such as webp/640");
            }
            if (!specs.contains(spec)) {
                specs.add(spec);
            }
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("name at least one rendition");
        }
        return specs;
    }

    public void create(Request request) {
        jdbc.sql("""
                insert into download (id, tenant_id, all_tenants, asset_ids, selection, renditions, bucket, object_key)
                values (?, ?, ?, ?::uuid[], ?, ?, ?, ?)""")
                .params(request.id(), request.tenantId(), request.allTenants(), request.assetIds() == null ? null
                                : request.assetIds().stream().map(UUID::toString).toArray(String[]::new),
                        request.createdAfter(), String.join(",", request.renditions()), request.bucket(), request.objectKey())
                .update();
    }

    public Optional<Download> find(UUID id) {
        return jdbc.sql("""
                select id, tenant_id, all_tenants, state, bucket, object_key, upload_id, size, entries, job_execution_id, created_at, completed_at,
                       failure
                from download where id = ?""").param(id)
                .query((rs, i) -> new Download(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getBoolean("all_tenants"),
                        rs.getString("state"), rs.getString("bucket"),
                        rs.getString("object_key"), rs.getString("upload_id"), (Long) rs.getObject("size"),
                        (Integer) rs.getObject("entries"), (Long) rs.getObject("job_execution_id"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("completed_at") == null ? null : rs.getTimestamp("completed_at").toInstant(),
                        rs.getString("failure")))
                .optional();
    }

    public void started(UUID id, long jobExecutionId) {
        jdbc.sql("update download set job_execution_id = ?, state = case when state = 'COMPLETE' then state else 'WRITING' end where id = ?")
                .params(jobExecutionId, id).update();
    }

    /**
     * Freezes the members (once; a restart finds them): for each selected asset's current version,
     * each asked rendition that exists, in asset id then rendition order, at most {@code limit} of
     * them (a selection past the download's limit is refused, and need not be frozen whole). Returns how many.
     */
    public int freeze(UUID id, int limit) {
        boolean frozen = jdbc.sql("select exists (select 1 from download_entry where download_id = ?)").param(id)
                .query(Boolean.class).single();
        if (!frozen) {
            var request = jdbc.sql("select asset_ids::text[] as ids, selection, renditions from download where id = ?").param(id)
                    .query((rs, i) -> new Object[] {rs.getArray("ids") == null ? null : (String[]) rs.getArray("ids").getArray(),
                            rs.getString("selection"), rs.getString("renditions")})
                    .single();
            List<String> specs = parseRenditions((String) request[2]);
            jdbc.sql("""
                    insert into download_entry (download_id, ordinal, name, bucket, object_key, sha256, size)
                    select :id, (row_number() over (order by m.asset_id, m.spec_order)) - 1, m.name, f.bucket, f.object_key,
                           f.sha256, f.size
                    from (
                        select a.id as asset_id, s.spec_order,
                               regexp_replace(coalesce(regexp_replace(a.original_filename, '\\.[^.]*$', ''), 'asset'),
                                              '[^A-Za-z0-9._-]+', '_', 'g')
                               || '-' || left(a.id::text, 8) || '/' ||
                               case when s.spec = 'original' then 'original.' || (case split_part(fo.content_type, '/', 2)
                                        when 'jpeg' then 'jpg' when 'svg+xml' then 'svg' else split_part(fo.content_type, '/', 2) end)
                                    else r.width || '.' || (case r.format when 'jpeg' then 'jpg' else r.format end) end as name,
                               case when s.spec = 'original' then v.original_sha256 else r.sha256 end as sha256
                        from asset a
                        join asset_version v on v.asset_id = a.id and v.version = a.current_version
                        join file_ref fo on fo.sha256 = v.original_sha256
                        cross join unnest(cast(:specs as text[])) with ordinality as s(spec, spec_order)
                        left join lateral (
                            select r.* from rendition r
                            where r.asset_id = a.id and r.version = v.version and s.spec <> 'original'
                              and r.format = split_part(s.spec, '/', 1)
                              and (position('/' in s.spec) = 0 or r.width = cast(split_part(s.spec, '/', 2) as integer))
                            order by r.width desc limit 1) r on true
                        where (cast(:ids as uuid[]) is null or a.id = any(cast(:ids as uuid[]))) and a.deleted_at is null
                          and exists (select 1 from download d where d.id = :id and (d.all_tenants or d.tenant_id = a.tenant_id))
                          and (cast(:after as timestamptz) is null or v.created_at > cast(:after as timestamptz))
                          and (s.spec = 'original' or r.sha256 is not null)
                    ) m
                    join file_ref f on f.sha256 = m.sha256
                    order by m.asset_id, m.spec_order
                    limit :limit""")
                    .param("id", id)
                    .param("limit", limit)
                    .param("specs", specs.toArray(String[]::new))
                    .param("ids", request[0])
                    .param("after", request[1] == null ? null : java.sql.Timestamp.from(java.time.Instant.parse((String) request[1])))
                    .update();
            int entries = entries(id);
            jdbc.sql("update download set entries = ? where id = ?").params(entries, id).update();
        }
        return entries(id);
    }

    /** Of these assets, those that do not exist for a caller of {@code tenantFilter} (null: any tenant), in the order given. */
    public List<UUID> missingAssets(List<UUID> assetIds, UUID tenantFilter) {
        java.util.Set<UUID> found = new java.util.HashSet<>(jdbc.sql("""
                select id from asset where id = any(?) and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is null""")
                .params(assetIds.toArray(UUID[]::new), tenantFilter, tenantFilter).query(UUID.class).list());
        return assetIds.stream().filter(id -> !found.contains(id)).toList();
    }

    public int entries(UUID id) {
        return jdbc.sql("select count(*) from download_entry where download_id = ?").param(id).query(Integer.class).single();
    }

    public List<Entry> entries(UUID id, int fromOrdinal, int limit) {
        return jdbc.sql("""
                select ordinal, name, bucket, object_key, sha256, size from download_entry
                where download_id = ? and ordinal >= ? order by ordinal limit ?""")
                .params(id, fromOrdinal, limit)
                .query((rs, i) -> new Entry(rs.getInt("ordinal"), rs.getString("name"), rs.getString("bucket"),
                        rs.getString("object_key"), rs.getString("sha256"), rs.getLong("size")))
                .list();
    }

    /** Every entry with where it was written, for the central directory. */
    public List<Object[]> written(UUID id) {
        return jdbc.sql("select name, size, crc32, header_offset from download_entry where download_id = ? order by ordinal")
                .param(id)
                .query((rs, i) -> new Object[] {rs.getString("name"), rs.getLong("size"), rs.getLong("crc32"), rs.getLong("header_offset")})
                .list();
    }

    public void uploadStarted(UUID id, String uploadId) {
        jdbc.sql("update download set upload_id = ? where id = ?").params(uploadId, id).update();
    }

    public Optional<Part> lastPart(UUID id) {
        return jdbc.sql("""
                select part_number, etag, size, first_entry, next_entry, end_offset, final from download_part
                where download_id = ? order by part_number desc limit 1""").param(id)
                .query((rs, i) -> new Part(rs.getInt("part_number"), rs.getString("etag"), rs.getLong("size"),
                        rs.getInt("first_entry"), rs.getInt("next_entry"), rs.getLong("end_offset"), rs.getBoolean("final")))
                .optional();
    }

    public List<Part> parts(UUID id) {
        return jdbc.sql("""
                select part_number, etag, size, first_entry, next_entry, end_offset, final from download_part
                where download_id = ? order by part_number""").param(id)
                .query((rs, i) -> new Part(rs.getInt("part_number"), rs.getString("etag"), rs.getLong("size"),
                        rs.getInt("first_entry"), rs.getInt("next_entry"), rs.getLong("end_offset"), rs.getBoolean("final")))
                .list();
    }

    /** Records an uploaded part and the entries it holds, in the caller's transaction. */
    public void recordPart(UUID id, Part part, List<WrittenEntry> entries) {
        jdbc.sql("""
                insert into download_part (download_id, part_number, etag, size, first_entry, next_entry, end_offset, final)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, part.number(), part.etag(), part.size(), part.firstEntry(), part.nextEntry(), part.endOffset(), part.last())
                .update();
        for (WrittenEntry entry : entries) {
            jdbc.sql("update download_entry set crc32 = ?, header_offset = ?, part_number = ? where download_id = ? and ordinal = ?")
                    .params(entry.crc32(), entry.headerOffset(), part.number(), id, entry.ordinal()).update();
        }
    }

    public void complete(UUID id, long size) {
        jdbc.sql("update download set state = 'COMPLETE', size = ?, completed_at = now() where id = ?").params(size, id).update();
    }

    /** The frozen members' bytes (before the archive's own headers). */
    public long entryBytes(UUID id) {
        return jdbc.sql("select coalesce(sum(size), 0) from download_entry where download_id = ?").param(id).query(Long.class).single();
    }

    /** Refuses a download for good, with the reason its reader is shown; its frozen members go. */
    public void refused(UUID id, String reason) {
        jdbc.sql("delete from download_entry where download_id = ?").param(id).update();
        jdbc.sql("update download set state = 'FAILED', failure = ?, entries = 0 where id = ? and state <> 'COMPLETE'").params(reason, id).update();
    }

    public void failed(UUID id) {
        jdbc.sql("update download set state = 'FAILED' where id = ? and state <> 'COMPLETE'").param(id).update();
    }
}
