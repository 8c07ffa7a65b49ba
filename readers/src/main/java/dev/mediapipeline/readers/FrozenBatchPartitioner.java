package dev.mediapipeline.readers;

import dev.mediapipeline.core.ingest.IngestBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per partition number of the job instance's frozen batch, never from a live
 * listing: a restarted instance gets exactly the partitions it had.
 */
public class FrozenBatchPartitioner implements Partitioner {

    public static final String PARTITION = "partition";

    private final IngestBatch batch;
    private final long jobInstanceId;

    public FrozenBatchPartitioner(IngestBatch batch, long jobInstanceId) {
        this.batch = batch;
        this.jobInstanceId = jobInstanceId;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int partition : batch.partitions(jobInstanceId)) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(PARTITION, partition);
            partitions.put(PARTITION + partition, context);
        }
        return partitions;
    }
}
