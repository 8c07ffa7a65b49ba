package dev.mediapipeline.core.ingest;

import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.staging.UploadRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ingest job's frozen batches (table {@code ingest_item}): what each job instance holds, and how far it got. */
public class IngestBatch {

    private final JdbcClient jdbc;
    private final UploadRepository uploads;

    public IngestBatch(JdbcClient jdbc, UploadRepository uploads) {
        this.jdbc = jdbc;
        this.uploads = uploads;
    }

    /**
     * Claims every COMPLETE upload no batch holds yet for this job instance, dealt over
     * {@code partitions} so that each gets about the same bytes: largest first, each to the
     * partition with the fewest bytes so far (ties by upload id, so the deal is deterministic).
     * Returns how many this call claimed. Runs in the freeze step's transaction. An upload being
     * deleted at this moment holds its row's lock: it is skipped, never frozen half-deleted; one
     * frozen first cannot be deleted until the ingest has finished with it.
     *
     * @param tenantId only this tenant's uploads, or null for every tenant's
     */
    public int freeze(long jobInstanceId, int partitions, UUID tenantId) {
        List<Map<String, Object>> unclaimed = jdbc.sql("""
                select id, upload_length from upload u
                where u.status = 'COMPLETE' and not exists (select 1 from ingest_item i where i.upload_id = u.id)
                  and (cast(? as uuid) is null or u.tenant_id = ?)
                order by upload_length desc, id
                for update of u skip locked""").params(tenantId, tenantId).query().listOfRows();
        List<UUID> ids = new java.util.ArrayList<>();
        List<Integer> dealt = new java.util.ArrayList<>();
        deal(unclaimed, partitions, (uploadId, partition) -> {
            ids.add(uploadId);
            dealt.add(partition);
            return 1;
        });
        // FREEZE_BATCH rows a statement, not one each: a night's millions of uploads in minutes, not an hour
        int frozen = 0;
        for (int from = 0; from < ids.size(); from += FREEZE_BATCH) {
            int to = Math.min(ids.size(), from + FREEZE_BATCH);
            frozen += jdbc.sql("""
                    insert into ingest_item (upload_id, job_instance_id, partition_index)
                    select u, ?, p from unnest(cast(? as uuid[]), cast(? as integer[])) as t(u, p)
                    on conflict (upload_id) do nothing""")
                    .params(jobInstanceId, ids.subList(from, to).toArray(UUID[]::new), dealt.subList(from, to).toArray(Integer[]::new))
                    .update();
        }
        return frozen;
    }

    private static final int FREEZE_BATCH = 10_000;

    /**
     * Hands refused uploads whose bytes are still staged to another job instance (a requeue), as
     * PENDING items dealt over {@code partitions} like {@link #freeze}. Nothing else staged is
     * claimed. Returns the ids it took; an id that is not a refused, uncleaned item is left alone.
     */
    public List<UUID> reclaim(List<UUID> uploadIds, long jobInstanceId, int partitions) {
        if (uploadIds.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> refused = jdbc.sql("""
                select u.id, u.upload_length from upload u join ingest_item i on i.upload_id = u.id
                where u.id = any(?) and i.state = 'REJECTED' and not i.cleaned
                order by u.upload_length desc, u.id""")
                .param(uploadIds.toArray(UUID[]::new)).query().listOfRows();
        List<UUID> taken = new java.util.ArrayList<>();
        deal(refused, partitions, (uploadId, partition) -> {
            int updated = jdbc.sql("""
                    update ingest_item set job_instance_id = ?, partition_index = ?, state = 'PENDING', updated_at = now()
                    where upload_id = ? and state = 'REJECTED' and not cleaned""")
                    .params(jobInstanceId, partition, uploadId).update();
            if (updated == 1) {
                taken.add(uploadId);
            }
            return updated;
        });
        return taken;
    }

    /** Largest first, each to the partition with the fewest bytes so far; returns the sum of what {@code assign} reports. */
    private static int deal(List<Map<String, Object>> uploads, int partitions, java.util.function.ToIntBiFunction<UUID, Integer> assign) {
        long[] load = new long[partitions];
        int assigned = 0;
        for (Map<String, Object> upload : uploads) {
            int lightest = 0;
            for (int p = 1; p < partitions; p++) {
                if (load[p] < load[lightest]) {
                    lightest = p;
                }
            }
            long length = ((Number) upload.get("upload_length")).longValue();
            load[lightest] += Math.max(1, length);
            assigned += assign.applyAsInt((UUID) upload.get("id"), lightest);
        }
        return assigned;
    }

    /** The partition numbers this instance froze, ascending. */
    public List<Integer> partitions(long jobInstanceId) {
        return jdbc.sql("select distinct partition_index from ingest_item where job_instance_id = ? order by 1")
                .param(jobInstanceId).query(Integer.class).list();
    }

    /** Uploads of one partition still to do, in id order. */
    public List<UUID> pending(long jobInstanceId, int partition) {
        return jdbc.sql("""
                select upload_id from ingest_item
                where job_instance_id = ? and partition_index = ? and state = 'PENDING' order by upload_id""")
                .params(jobInstanceId, partition).query(UUID.class).list();
    }

    /** The staged upload with its chunks, or empty if it was removed meanwhile. */
    public Optional<StagedUpload> staged(UUID uploadId) {
        return uploads.find(uploadId).map(upload -> new StagedUpload(upload.id(), upload.tenantId(), upload.length(),
                upload.metadata() == null ? java.util.Map.of() : UploadMetadata.parse(upload.metadata()), uploads.chunks(upload.id())));
    }

    public void markPublished(UUID uploadId) {
        mark(uploadId, "PUBLISHED");
    }

    public void markRejected(UUID uploadId) {
        mark(uploadId, "REJECTED");
    }

    /**
     * Items whose staging data can go: this instance's published ones and quarantined ones, and
     * any refused one whose retention has passed. A refused upload's bytes stay staged until then,
     * so that a requeue can ingest it again (after a limit was raised, say). At most {@code limit} of
     * them, in upload id order, locked for the caller's transaction: one a requeue is taking back
     * ({@link #reclaim}) is skipped, and a requeue waits for the caller's rows and then finds them cleaned.
     */
    public List<UUID> finishedNotCleaned(long jobInstanceId, java.time.Duration rejectedRetention, int limit) {
        return jdbc.sql("""
                select i.upload_id from ingest_item i
                where not i.cleaned and (
                      (i.job_instance_id = ? and (i.state = 'PUBLISHED' or exists (
                           select 1 from ingest_rejection r where r.upload_id = i.upload_id and r.quarantine_key is not null)))
                   or (i.state = 'REJECTED' and i.updated_at < now() - make_interval(secs => ?)))
                order by 1 limit ?
                for update of i skip locked""")
                .params(jobInstanceId, (double) rejectedRetention.toSeconds(), limit).query(UUID.class).list();
    }

    /** Marks these items cleaned, and removes their uploads' rows (their chunks' rows go with them), in one statement each. */
    public void markCleaned(List<UUID> uploadIds) {
        UUID[] ids = uploadIds.toArray(UUID[]::new);
        jdbc.sql("delete from upload where id = any(?)").param(ids).update();
        jdbc.sql("update ingest_item set cleaned = true, updated_at = now() where upload_id = any(?) and not cleaned").param(ids).update();
    }

    private void mark(UUID uploadId, String state) {
        jdbc.sql("update ingest_item set state = ?, updated_at = now() where upload_id = ?").params(state, uploadId).update();
    }
}
