package dev.mediapipeline.writers;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.media.PublishedAsset;
import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.StagedUpload;
import java.util.UUID;
import org.springframework.batch.core.listener.ItemProcessListener;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.core.retry.RetryException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records in the failure ledger every item whose processing or writing failed (rejections are the
 * skip recorders' work), in a transaction of its own, since the chunk's rolls back. An item that a
 * retry or a restart then publishes has its failures resolved by the state writer.
 */
public class FailureRecorder implements ItemProcessListener<Object, Object>, ItemWriteListener<Rendered> {

    private final FailureLedger ledger;
    private final TransactionTemplate ownTransaction;
    private final String jobName;
    private final long jobExecutionId;
    private final FailureLedger.Kind kind;

    /** @param kind what the step's items are: uploads (an ingest) or assets (a migration) */
    public FailureRecorder(FailureLedger ledger, PlatformTransactionManager transactions, String jobName, long jobExecutionId,
            FailureLedger.Kind kind) {
        this.kind = kind;
        this.ledger = ledger;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.jobName = jobName;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public void onProcessError(Object item, Exception e) {
        if (item instanceof StagedUpload u) {
            record(u.uploadId(), u.tenantId(), e);
        } else if (item instanceof PublishedAsset a) {
            record(a.assetId(), a.tenantId(), e);
        }
    }

    @Override
    public void onWriteError(Exception e, Chunk<? extends Rendered> items) {
        for (Rendered item : items) {
            record(item.upload().uploadId(), item.upload().tenantId(), e);
        }
    }

    private void record(UUID id, UUID tenantId, Exception e) {
        // the fault-tolerant step reports what its retry gave up on wrapped in a RetryException
        Throwable failure = e instanceof RetryException retry && retry.getCause() != null ? retry.getCause() : e;
        if (id == null || failure instanceof RejectedException) {
            return;
        }
        ownTransaction.executeWithoutResult(status -> ledger.record(jobName, jobExecutionId, kind, id, tenantId, failure));
    }
}
