package dev.mediapipeline.readers;

import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.core.media.StagedUpload;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one partition's staged uploads that are still PENDING, in upload id order. The item state
 * in {@code ingest_item} is the process indicator (it changes in the same transaction as the item's
 * output), so the reader keeps no position of its own: on a restart, {@link #open} finds exactly
 * the items no committed chunk finished.
 */
public class StagedUploadReader implements ItemStreamReader<StagedUpload> {

    private final IngestBatch batch;
    private final long jobInstanceId;
    private final int partition;
    private Iterator<UUID> pending = List.<UUID>of().iterator();
    private long expected;

    public StagedUploadReader(IngestBatch batch, long jobInstanceId, int partition) {
        this.batch = batch;
        this.jobInstanceId = jobInstanceId;
        this.partition = partition;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        List<UUID> items = batch.pending(jobInstanceId, partition);
        expected = items.size();
        ExpectedItems.put(executionContext, expected);
        pending = items.iterator();
    }

    @Override
    public void update(ExecutionContext executionContext) {
        ExpectedItems.put(executionContext, expected);
    }

    @Override
    public StagedUpload read() {
        while (pending.hasNext()) {
            Optional<StagedUpload> upload = batch.staged(pending.next());
            if (upload.isPresent()) {
                return upload.get();
            }
            // removed meanwhile (terminated by its client): nothing to ingest
        }
        return null;
    }
}
