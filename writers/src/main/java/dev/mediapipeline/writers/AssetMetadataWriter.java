package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.storage.ContentAddress;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records each published image in PostgreSQL, inside the chunk's transaction: the files it
 * references, the asset (its id is the upload's, so the same upload is always the same asset),
 * the version with its lineage (1 for an ingest, the next one for a re-processing), and the
 * renditions; then makes that version current, in the same transaction, so the switch is seen
 * only with the whole version committed. Every insert is {@code ON CONFLICT DO NOTHING} and a
 * file's reference count rises only with a row that was really inserted, so writing the same item
 * again changes nothing.
 */
public class AssetMetadataWriter implements ItemWriter<Rendered> {

    private final JdbcClient jdbc;
    private final String bucket;
    private final Long jobExecutionId;
    private final ToIntFunction<UUID> versionOf;

    /** For an ingest: every asset is new, its version 1. */
    public AssetMetadataWriter(JdbcClient jdbc, String bucket, Long jobExecutionId) {
        this(jdbc, bucket, jobExecutionId, asset -> 1);
    }

    /** @param versionOf the version this write creates for an asset */
    public AssetMetadataWriter(JdbcClient jdbc, String bucket, Long jobExecutionId, ToIntFunction<UUID> versionOf) {
        this.jdbc = jdbc;
        this.bucket = bucket;
        this.jobExecutionId = jobExecutionId;
        this.versionOf = versionOf;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered image : chunk) {
            write(image);
        }
    }

    private void write(Rendered rendered) {
        var original = rendered.original();
        var upload = rendered.upload();
        int version = versionOf.applyAsInt(upload.uploadId());
        fileRef(original.sha256(), ContentAddress.original(original.sha256()), original.size(), original.mimeType());
        for (RenditionFile r : rendered.renditions()) {
            fileRef(r.sha256(), ContentAddress.rendition(r.sha256(), r.format()), r.size(), r.mimeType());
        }
        jdbc.sql("insert into asset (id, tenant_id, kind, original_filename) values (?, ?, ?, ?) on conflict (id) do nothing")
                .params(upload.uploadId(), upload.tenantId(), rendered.kind(), upload.filename()).update();
        int versionInserted = jdbc.sql("""
                insert into asset_version (asset_id, version, original_sha256, format, width, height, frames, alpha,
                                           profile_hash, tools, scan_engine, job_execution_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (asset_id, version) do nothing""")
                .params(upload.uploadId(), version, original.sha256(), rendered.format(), rendered.width(), rendered.height(),
                        rendered.frames(), rendered.alpha(), rendered.profileHash(), rendered.tools(), rendered.scanEngine(),
                        jobExecutionId)
                .update();
        if (versionInserted == 1) {
            reference(original.sha256());
            // processing usage, once per version, in the chunk's transaction (a purge later does not undo it)
            long encodeMillis = rendered.encodeMillis();
            jdbc.sql("""
                    insert into usage_processing as p (day, tenant_id, items, encode_ms)
                    values ((now() at time zone 'UTC')::date, ?, 1, ?)
                    on conflict (day, tenant_id) do update set items = p.items + 1, encode_ms = p.encode_ms + excluded.encode_ms""")
                    .params(upload.tenantId(), encodeMillis).update();
        }
        for (RenditionFile r : rendered.renditions()) {
            int inserted = jdbc.sql("""
                    insert into rendition (asset_id, version, format, width, height, sha256, encode_ms) values (?, ?, ?, ?, ?, ?, ?)
                    on conflict (asset_id, version, format, width) do nothing""")
                    .params(upload.uploadId(), version, r.format(), r.width(), r.height(), r.sha256(), r.encodeMillis())
                    .update();
            if (inserted == 1) {
                reference(r.sha256());
            }
        }
        jdbc.sql("""
                update asset set current_version = ?, updated_at = now()
                where id = ? and (current_version is null or current_version < ?)""")
                .params(version, upload.uploadId(), version).update();
    }

    private void fileRef(String sha256, String key, long size, String contentType) {
        jdbc.sql("""
                insert into file_ref (sha256, bucket, object_key, size, content_type) values (?, ?, ?, ?, ?)
                on conflict (sha256) do nothing""")
                .params(sha256, bucket, key, size, contentType).update();
    }

    private void reference(String sha256) {
        jdbc.sql("update file_ref set ref_count = ref_count + 1 where sha256 = ?").param(sha256).update();
    }
}
