package dev.mediapipeline.core.staging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Staged uploads and their chunk lists in PostgreSQL (tables {@code upload}, {@code upload_chunk}). */
public class UploadRepository {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public UploadRepository(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public void insert(Upload upload) {
        jdbc.sql("""
                insert into upload (id, tenant_id, upload_length, upload_offset, metadata, status, created_at, updated_at, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(upload.id(), upload.tenantId(), upload.length(), upload.offset(), upload.metadata(), upload.status().name(),
                        ts(upload.createdAt()), ts(upload.updatedAt()), ts(upload.expiresAt()))
                .update();
        if (upload.status() == UploadStatus.COMPLETE) {
            countCompleted(upload.id(), upload.updatedAt());
        }
    }

    /**
     * Adds a completed upload to its tenant's usage of the day (its rows are removed once ingested),
     * in the transaction that completes it.
     */
    private void countCompleted(UUID id, Instant now) {
        jdbc.sql("""
                insert into usage_upload as u (day, tenant_id, uploads, bytes)
                select ?, tenant_id, 1, upload_length from upload where id = ?
                on conflict (day, tenant_id) do update set uploads = u.uploads + 1, bytes = u.bytes + excluded.bytes""")
                .params(dev.mediapipeline.core.usage.UsageDay.of(now), id).update();
    }

    public Optional<Upload> find(UUID id) {
        return jdbc.sql("select * from upload where id = ?").param(id).query(UploadRepository::upload).optional();
    }

    public List<UploadChunk> chunks(UUID id) {
        return jdbc.sql("select * from upload_chunk where upload_id = ? order by start_offset").param(id)
                .query((rs, n) -> new UploadChunk(rs.getObject("upload_id", UUID.class), rs.getLong("start_offset"),
                        rs.getLong("length"), rs.getBytes("sha256"), rs.getString("object_key")))
                .list();
    }

    /**
     * Records a stored chunk and moves the offset past it, atomically, but only if the upload is
     * still in progress, unexpired and at {@code chunk.startOffset()}: a concurrent request that
     * got there first makes this return false and record nothing.
     */
    public boolean advance(UploadChunk chunk, long length, Instant now, Instant expiresAt) {
        long newOffset = chunk.startOffset() + chunk.length();
        UploadStatus status = newOffset == length ? UploadStatus.COMPLETE : UploadStatus.IN_PROGRESS;
        Boolean advanced = transactions.execute(tx -> {
            int moved = jdbc.sql("""
                    update upload set upload_offset = ?, status = ?, updated_at = ?, expires_at = ?
                    where id = ? and upload_offset = ? and status = 'IN_PROGRESS' and expires_at > ?""")
                    .params(newOffset, status.name(), ts(now), status == UploadStatus.COMPLETE ? null : ts(expiresAt),
                            chunk.uploadId(), chunk.startOffset(), ts(now))
                    .update();
            if (moved == 0) {
                return false;
            }
            jdbc.sql("insert into upload_chunk (upload_id, start_offset, length, sha256, object_key) values (?, ?, ?, ?, ?)")
                    .params(chunk.uploadId(), chunk.startOffset(), chunk.length(), chunk.sha256(), chunk.objectKey())
                    .update();
            if (status == UploadStatus.COMPLETE) {
                countCompleted(chunk.uploadId(), now);
            }
            return true;
        });
        return Boolean.TRUE.equals(advanced);
    }

    /**
     * Deletes an upload's rows (its chunks' too) for a caller of {@code tenantFilter} (null: any
     * tenant), unless an ingest has frozen it and not finished with it: its row is locked first (the
     * ingest's freeze skips locked rows), checked, deleted, in one short transaction. The chunk objects
     * are the caller's to remove afterwards, outside it (no database connection held across S3).
     *
     * @throws StagingException NOT_FOUND when there is no such upload, INGESTING when an ingest holds it
     */
    public void deleteUnlessIngesting(UUID id, UUID tenantFilter) {
        transactions.executeWithoutResult(status -> {
            boolean found = jdbc.sql("select id from upload where id = ? and (cast(? as uuid) is null or tenant_id = ?) for update")
                    .params(id, tenantFilter, tenantFilter).query(UUID.class).optional().isPresent();
            if (!found) {
                throw new StagingException(StagingException.Problem.NOT_FOUND, "no upload " + id);
            }
            Long job = jdbc.sql("select job_instance_id from ingest_item where upload_id = ? and state = 'PENDING'").param(id)
                    .query(Long.class).optional().orElse(null);
            if (job != null) {
                throw new StagingException(StagingException.Problem.INGESTING, "upload " + id + " is being ingested (job instance "
                        + job + "): it can be deleted once that ingest has finished with it, or its asset once published");
            }
            delete(id);
        });
    }

    /** Deletes the upload and its chunk rows; false when there was none. */
    /** The keys of these uploads' staged chunks. */
    public java.util.List<String> chunkKeys(java.util.List<UUID> uploadIds) {
        return jdbc.sql("select object_key from upload_chunk where upload_id = any(?) order by object_key")
                .param(uploadIds.toArray(UUID[]::new)).query(String.class).list();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("delete from upload where id = ?").param(id).update() > 0;
    }

    public List<UUID> findExpired(Instant now, int limit) {
        return jdbc.sql("select id from upload where status = 'IN_PROGRESS' and expires_at <= ? order by expires_at limit ?")
                .params(ts(now), limit).query(UUID.class).list();
    }

    public boolean deleteIfExpired(UUID id, Instant now) {
        return jdbc.sql("delete from upload where id = ? and status = 'IN_PROGRESS' and expires_at <= ?")
                .params(id, ts(now)).update() > 0;
    }

    private static Upload upload(ResultSet rs, int row) throws SQLException {
        return new Upload(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getLong("upload_length"), rs.getLong("upload_offset"),
                rs.getString("metadata"), UploadStatus.valueOf(rs.getString("status")), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
