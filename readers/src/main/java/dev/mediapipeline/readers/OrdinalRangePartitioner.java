package dev.mediapipeline.readers;

import dev.mediapipeline.core.migration.MigrationBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Partitions a frozen migration selection by ordinal range (the ordinals follow asset ids, so each
 * partition is a contiguous range of ids). A restart reuses the partitions' stored contexts.
 */
public class OrdinalRangePartitioner implements Partitioner {

    public static final String FIRST = "firstOrdinal";
    public static final String LAST = "lastOrdinal";

    private final MigrationBatch batch;
    private final long jobInstanceId;

    public OrdinalRangePartitioner(MigrationBatch batch, long jobInstanceId) {
        this.batch = batch;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        List<long[]> ranges = batch.ranges(jobInstanceId, gridSize);
        for (int i = 0; i < ranges.size(); i++) {
            ExecutionContext context = new ExecutionContext();
            context.putLong(FIRST, ranges.get(i)[0]);
            context.putLong(LAST, ranges.get(i)[1]);
            partitions.put("range" + i, context);
        }
        return partitions;
    }
}
