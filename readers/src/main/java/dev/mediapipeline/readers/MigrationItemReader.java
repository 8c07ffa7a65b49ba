package dev.mediapipeline.readers;

import dev.mediapipeline.core.media.PublishedAsset;
import dev.mediapipeline.core.migration.MigrationBatch;
import java.util.Iterator;
import java.util.List;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one ordinal range of a frozen migration selection, the items still PENDING, in ordinal
 * order. The item state is the process indicator, so on a restart {@link #open} finds exactly
 * the items no committed chunk finished; the reader keeps no position of its own.
 */
public class MigrationItemReader implements ItemStreamReader<PublishedAsset> {

    private final MigrationBatch batch;
    private final long jobInstanceId;
    private final long first;
    private final long last;
    private Iterator<PublishedAsset> pending = List.<PublishedAsset>of().iterator();
    private long expected;

    public MigrationItemReader(MigrationBatch batch, long jobInstanceId, long first, long last) {
        this.batch = batch;
        this.jobInstanceId = jobInstanceId;
        this.first = first;
        this.last = last;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        List<PublishedAsset> items = batch.pending(jobInstanceId, first, last);
        expected = items.size();
        ExpectedItems.put(executionContext, expected);
        pending = items.iterator();
    }

    @Override
    public void update(ExecutionContext executionContext) {
        ExpectedItems.put(executionContext, expected);
    }

    @Override
    public PublishedAsset read() {
        return pending.hasNext() ? pending.next() : null;
    }
}
