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
     * Returns how many this call claimed. Runs in the freeze step's transaction.
     */
    public int freeze(long jobInstanceId, int partitions) {
        List<Map<String, Object>> unclaimed = jdbc.sql("""
                select id, upload_length from upload u
                where u.status = 'COMPLETE' and not exists (select 1 from ingest_item i where i.upload_id = u.id)
                order by upload_length desc, id""").query().listOfRows();
        long[] load = new long[partitions];
        int claimed = 0;
        for (Map<String, Object> upload : unclaimed) {
            int lightest = 0;
            for (int p = 1; p < partitions; p++) {
                if (load[p] < load[lightest]) {
                    lightest = p;
                }
            }
            long length = ((Number) upload.get("upload_length")).longValue();
            load[lightest] += Math.max(1, length);
            claimed += jdbc.sql("""
                    insert into ingest_item (upload_id, job_instance_id, partition_index) values (?, ?, ?)
                    on conflict (upload_id) do nothing""")
                    .params(upload.get("id"), jobInstanceId, lightest).update();
        }
        return claimed;
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
        return uploads.find(uploadId).map(upload -> new StagedUpload(upload.id(), upload.length(),
                upload.metadata() == null ? java.util.Map.of() : UploadMetadata.parse(upload.metadata()), uploads.chunks(upload.id())));
    }

    public void markPublished(UUID uploadId) {
        mark(uploadId, "PUBLISHED");
    }

    public void markRejected(UUID uploadId) {
        mark(uploadId, "REJECTED");
    }

    /** Items of this instance that are done but whose staging data is not removed yet. */
    public List<UUID> finishedNotCleaned(long jobInstanceId) {
        return jdbc.sql("select upload_id from ingest_item where job_instance_id = ? and state <> 'PENDING' and not cleaned order by 1")
                .param(jobInstanceId).query(UUID.class).list();
    }

    public void markCleaned(UUID uploadId) {
        jdbc.sql("update ingest_item set cleaned = true, updated_at = now() where upload_id = ?").param(uploadId).update();
    }

    private void mark(UUID uploadId, String state) {
        jdbc.sql("update ingest_item set state = ?, updated_at = now() where upload_id = ?").params(state, uploadId).update();
    }
}
