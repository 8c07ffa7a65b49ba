package dev.mediapipeline.writers;

import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.media.Rendered;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Marks each written item PUBLISHED, in the chunk's transaction: the process indicator a restart reads. */
public class IngestStateWriter implements ItemWriter<Rendered> {

    private final IngestBatch batch;
    private final FailureLedger ledger;

    public IngestStateWriter(IngestBatch batch, FailureLedger ledger) {
        this.batch = batch;
        this.ledger = ledger;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered image : chunk) {
            batch.markPublished(image.upload().uploadId());
            ledger.resolve(image.upload().uploadId());
        }
    }
}
