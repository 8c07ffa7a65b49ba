package dev.mediapipeline.app.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A video version's published stream ({@code video_stream}) as delivery finds it: where its objects
 * are and how long it plays. Only of an asset the caller may see (the tenant filter; null for a
 * signed request, whose signature names the asset) and that is not in the trash, and only a version
 * whose stream row committed, so a half-published stream is never served.
 */
@Component
class PublishedStreams {

    /**
     * @param prefix the key prefix of its objects in {@code bucket} ({@code streams/<asset>/v<n>/})
     * @param masterPlaylist the key of its HLS master playlist
     * @param dashManifest the key of its MPD
     */
    record Stream(UUID assetId, UUID tenantId, int version, String bucket, String prefix, String masterPlaylist, String dashManifest, Duration duration) {
    }

    private final JdbcClient jdbc;

    PublishedStreams(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stream of the asset's current version. */
    Optional<Stream> current(UUID tenantFilter, UUID assetId) {
        return find(tenantFilter, assetId, null);
    }

    /** The stream of one of the asset's versions, current or not. */
    Optional<Stream> version(UUID tenantFilter, UUID assetId, int version) {
        return find(tenantFilter, assetId, version);
    }

    private Optional<Stream> find(UUID tenantFilter, UUID assetId, Integer version) {
        return jdbc.sql("""
                select s.asset_id, a.tenant_id, s.version, s.bucket, s.prefix, s.master_playlist, s.dash_manifest, s.duration_ms
                from asset a
                join video_stream s on s.asset_id = a.id and s.version = coalesce(cast(:version as integer), a.current_version)
                where a.id = :id and (cast(:tenant as uuid) is null or a.tenant_id = :tenant) and a.deleted_at is null""")
                .param("id", assetId).param("tenant", tenantFilter).param("version", version)
                .query((rs, i) -> new Stream(rs.getObject("asset_id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getInt("version"), rs.getString("bucket"),
                        rs.getString("prefix"), rs.getString("master_playlist"), rs.getString("dash_manifest"),
                        Duration.ofMillis(rs.getLong("duration_ms"))))
                .optional();
    }
}
