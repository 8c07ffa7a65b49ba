package dev.mediapipeline.core.asset;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Published assets as their tenants see them: pages of a tenant's assets, newest first, through an
 * opaque keyset cursor (the last item's creation time and id), and one asset with its current
 * version's renditions, stream and poster, and its versions. Every query takes the caller's tenant
 * filter (null: an admin, every tenant's); another tenant's asset is simply not found.
 */
public class Assets {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** Times PostgreSQL's timestamptz holds with room to spare: outside them a value is refused, not an error of the database. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final Pattern CURSOR = Pattern.compile("v1:(-?\\d{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private final JdbcClient jdbc;

    public Assets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A request for a page; a bad value throws {@link IllegalArgumentException} with what is wrong. */
    public record Query(Integer limit, String cursor, String kind, Instant createdAfter, Instant createdBefore, String filename) {

        public Query {
            if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
            }
            if (kind != null && !kind.equals("image") && !kind.equals("video")) {
                throw new IllegalArgumentException("kind must be image or video, not '" + kind + "'");
            }
            for (Instant t : new Instant[] {createdAfter, createdBefore}) {
                if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) {
                    throw new IllegalArgumentException("createdAfter and createdBefore must be between years 1 and 9999");
                }
            }
            if (filename != null && (filename.isEmpty() || filename.length() > 255)) {
                throw new IllegalArgumentException("filename must be 1 to 255 characters");
            }
        }

        int pageSize() {
            return limit == null ? DEFAULT_LIMIT : limit;
        }
    }

    /** One asset in a list: what it is, and its current version's shape. */
    public record Summary(UUID id, UUID tenantId, String kind, String originalFilename, Instant createdAt, int currentVersion,
            String visibility, String format, int width, int height, long bytes) {
    }

    public record Page(List<Summary> items, String nextCursor) {
    }

    public record Rendition(String format, String contentType, int width, int height, long bytes, String sha256) {
    }

    /** A video's stream: its shape and codecs (its playable URLs come with the delivery routes). */
    public record Stream(double durationSeconds, int width, int height, String videoCodec, String audioCodec,
            int segments, long bytes, String renditions, String packaging) {
    }

    /** The original of a version: its format, size and content address. */
    public record Original(String format, int width, int height, int frames, boolean alpha, long bytes, String sha256) {
    }

    /**
     * An asset and its current version: an image's renditions, or a video's stream and the renditions
     * of its poster frame.
     */
    public record Detail(UUID id, UUID tenantId, String kind, String originalFilename, Instant createdAt, Instant updatedAt,
            int currentVersion, String visibility, Original original, List<Rendition> renditions, Stream stream, List<Rendition> poster) {
    }

    /** A version and its lineage (what made it). */
    public record Version(int version, boolean current, Instant createdAt, Original original, String profileHash, String tools,
            String scanEngine, Long jobExecutionId) {
    }

    /** A page of the caller's assets, newest first. */
    public Page list(UUID tenantFilter, Query query) {
        Instant cursorTime = null;
        UUID cursorId = null;
        if (query.cursor() != null) {
            if (query.cursor().length() > 200) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(query.cursor()), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            Matcher m = CURSOR.matcher(decoded);
            if (!m.matches()) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            long micros;
            try {
                micros = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            cursorTime = Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000)).plusNanos(Math.floorMod(micros, 1_000_000) * 1000L);
            if (cursorTime.isBefore(EARLIEST) || cursorTime.isAfter(LATEST)) {
                throw new IllegalArgumentException("cursor is not one this API gave");
            }
            cursorId = UUID.fromString(m.group(2));
        }
        int size = query.pageSize();
        String pattern = query.filename() == null ? null : "%" + query.filename().replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        List<Summary> rows = jdbc.sql("""
                select a.id, a.tenant_id, a.kind, a.original_filename, a.created_at, a.current_version, a.visibility,
                       v.format, v.width, v.height, f.size
                from asset a
                join asset_version v on v.asset_id = a.id and v.version = a.current_version
                join file_ref f on f.sha256 = v.original_sha256
                where (cast(:tenant as uuid) is null or a.tenant_id = :tenant) and a.deleted_at is null
                  and (cast(:kind as text) is null or a.kind = :kind)
                  and (cast(:after as timestamptz) is null or a.created_at > :after)
                  and (cast(:before as timestamptz) is null or a.created_at < :before)
                  and (cast(:name as text) is null or a.original_filename ilike :name escape '\\')
                  and (cast(:cursorTime as timestamptz) is null or (a.created_at, a.id) < (cast(:cursorTime as timestamptz), :cursorId))
                order by a.created_at desc, a.id desc
                limit :limit""")
                .param("tenant", tenantFilter)
                .param("kind", query.kind() == null ? null : query.kind().toUpperCase(java.util.Locale.ROOT))
                .param("after", timestamp(query.createdAfter()))
                .param("before", timestamp(query.createdBefore()))
                .param("name", pattern)
                .param("cursorTime", timestamp(cursorTime))
                .param("cursorId", cursorId)
                .param("limit", size + 1)
                .query(Assets::summary).list();
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        List<Summary> page = rows.subList(0, size);
        Summary last = page.getLast();
        long micros = Math.addExact(Math.multiplyExact(last.createdAt().getEpochSecond(), 1_000_000L), last.createdAt().getNano() / 1000);
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + micros + ":" + last.id())
                .getBytes(StandardCharsets.US_ASCII));
        return new Page(List.copyOf(page), cursor);
    }

    /** One of the caller's assets with its current version, or empty when the caller has none by that id. */
    public Optional<Detail> get(UUID tenantFilter, UUID id) {
        return jdbc.sql("""
                select a.id, a.tenant_id, a.kind, a.original_filename, a.created_at, a.updated_at, a.current_version, a.visibility,
                       v.format, v.width, v.height, v.frames, v.alpha, f.size, v.original_sha256
                from asset a
                join asset_version v on v.asset_id = a.id and v.version = a.current_version
                join file_ref f on f.sha256 = v.original_sha256
                where a.id = ? and (cast(? as uuid) is null or a.tenant_id = ?) and a.deleted_at is null""")
                .params(id, tenantFilter, tenantFilter)
                .query((rs, i) -> {
                    int version = rs.getInt("current_version");
                    String kind = rs.getString("kind").toLowerCase(java.util.Locale.ROOT);
                    List<Rendition> renditions = renditions(id, version);
                    Stream stream = kind.equals("video") ? stream(id, version) : null;
                    return new Detail(id, rs.getObject("tenant_id", UUID.class), kind, rs.getString("original_filename"),
                            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), version,
                            rs.getString("visibility"), original(rs),
                            kind.equals("video") ? List.of() : renditions, stream, kind.equals("video") ? renditions : List.of());
                })
                .optional();
    }

    /** The caller's asset's versions, oldest first, or empty when the caller has no asset by that id. */
    public Optional<List<Version>> versions(UUID tenantFilter, UUID id) {
        Optional<Integer> current = jdbc.sql("select current_version from asset where id = ? and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is null")
                .params(id, tenantFilter, tenantFilter).query(Integer.class).optional();
        return current.map(now -> jdbc.sql("""
                select v.version, v.created_at, v.format, v.width, v.height, v.frames, v.alpha, f.size, v.original_sha256,
                       v.profile_hash, v.tools, v.scan_engine, v.job_execution_id
                from asset_version v join file_ref f on f.sha256 = v.original_sha256
                where v.asset_id = ? order by v.version""").param(id)
                .query((rs, i) -> new Version(rs.getInt("version"), rs.getInt("version") == now, rs.getTimestamp("created_at").toInstant(),
                        original(rs), rs.getString("profile_hash"), rs.getString("tools"), rs.getString("scan_engine"),
                        (Long) rs.getObject("job_execution_id")))
                .list());
    }

    /** A stored object of an asset's current version, as delivery serves it. */
    public record StoredObject(UUID assetId, UUID tenantId, String kind, String originalFilename, String bucket, String key, long size,
            String contentType, String sha256) {
    }

    /**
     * The current version's original ({@code formats} empty), or its rendition at {@code width} in the
     * first of {@code formats} it has, of an asset the caller may see; empty when there is none. One
     * query, whatever the number of formats asked.
     */
    public Optional<StoredObject> object(UUID tenantFilter, UUID id, List<String> formats, Integer width) {
        return jdbc.sql("""
                select a.id, a.tenant_id, lower(a.kind) as kind, a.original_filename, f.bucket, f.object_key, f.size, f.content_type, f.sha256
                from asset a
                join asset_version v on v.asset_id = a.id and v.version = a.current_version
                left join lateral (
                    select r.sha256 from rendition r
                    where r.asset_id = a.id and r.version = v.version and r.format = any(cast(:formats as text[])) and r.width = :width
                    order by array_position(cast(:formats as text[]), r.format) limit 1) r on true
                join file_ref f on f.sha256 = case when cardinality(cast(:formats as text[])) = 0 then v.original_sha256 else r.sha256 end
                where a.id = :id and (cast(:tenant as uuid) is null or a.tenant_id = :tenant) and a.deleted_at is null""")
                .param("id", id).param("tenant", tenantFilter).param("formats", formats.toArray(String[]::new)).param("width", width)
                .query((rs, i) -> new StoredObject(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("kind"),
                        rs.getString("original_filename"), rs.getString("bucket"), rs.getString("object_key"), rs.getLong("size"),
                        rs.getString("content_type"), rs.getString("sha256")))
                .optional();
    }

    /** Whether an asset is public and not in the trash: its renditions, poster and streams may then be read without a key. */
    public boolean isPublic(UUID id) {
        return jdbc.sql("select true from asset where id = ? and visibility = 'public' and deleted_at is null").param(id)
                .query(Boolean.class).optional().orElse(false);
    }

    private List<Rendition> renditions(UUID id, int version) {
        return jdbc.sql("""
                select r.format, f.content_type, r.width, r.height, f.size, r.sha256 from rendition r join file_ref f on f.sha256 = r.sha256
                where r.asset_id = ? and r.version = ? order by r.format, r.width""").params(id, version)
                .query((rs, i) -> new Rendition(rs.getString("format"), rs.getString("content_type"), rs.getInt("width"),
                        rs.getInt("height"), rs.getLong("size"), rs.getString("sha256")))
                .list();
    }

    private Stream stream(UUID id, int version) {
        return jdbc.sql("""
                select duration_ms, width, height, video_codec, audio_codec, segments, bytes, renditions,
                       packaging
                from video_stream where asset_id = ? and version = ?""").params(id, version)
                .query((rs, i) -> new Stream(rs.getLong("duration_ms") / 1000.0, rs.getInt("width"), rs.getInt("height"), rs.getString("video_codec"),
                        rs.getString("audio_codec"), rs.getInt("segments"), rs.getLong("bytes"), rs.getString("renditions"),
                        rs.getString("packaging")))
                .optional().orElse(null);
    }

    private static Original original(ResultSet rs) throws SQLException {
        // versions store the format as the validator named it (JPEG, MP4); the API speaks lower case, as renditions do
        return new Original(rs.getString("format").toLowerCase(java.util.Locale.ROOT), rs.getInt("width"), rs.getInt("height"), rs.getInt("frames"), rs.getBoolean("alpha"),
                rs.getLong("size"), rs.getString("original_sha256"));
    }

    private static Summary summary(ResultSet rs, int row) throws SQLException {
        return new Summary(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("kind").toLowerCase(java.util.Locale.ROOT), rs.getString("original_filename"),
                rs.getTimestamp("created_at").toInstant(), rs.getInt("current_version"), rs.getString("visibility"),
                rs.getString("format").toLowerCase(java.util.Locale.ROOT), rs.getInt("width"),
                rs.getInt("height"), rs.getLong("size"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
