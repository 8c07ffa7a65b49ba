package dev.mediapipeline.writers;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.PublishedAsset;
import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.migration.MigrationBatch;
import java.nio.file.Path;
import org.springframework.batch.core.listener.SkipListener;

/**
 * An asset the re-processing refuses (its original no longer passes today's limits) keeps its
 * current version; it is marked SKIPPED with the reason, and its workspace goes.
 */
public class MigrationSkipRecorder implements SkipListener<PublishedAsset, RenderedImage> {

    private final MigrationBatch batch;
    private final Path tempDirectory;
    private final FailureLedger ledger;
    private final long jobExecutionId;
    private final String jobName;

    public MigrationSkipRecorder(MigrationBatch batch, Path tempDirectory, FailureLedger ledger, String jobName, long jobExecutionId) {
        this.jobName = jobName;
        this.ledger = ledger;
        this.jobExecutionId = jobExecutionId;
        this.batch = batch;
        this.tempDirectory = tempDirectory;
    }

    @Override
    public void onSkipInProcess(PublishedAsset asset, Throwable t) {
        batch.markSkipped(asset.assetId(), reason(t));
        ledger.record(jobName, jobExecutionId, FailureLedger.Kind.ASSET, asset.assetId(), asset.tenantId(), t);
        Workspace.delete(tempDirectory, asset.assetId());
    }

    @Override
    public void onSkipInWrite(RenderedImage image, Throwable t) {
        var upload = image.image().file().upload();
        var id = upload.uploadId();
        batch.markSkipped(id, reason(t));
        ledger.record(jobName, jobExecutionId, FailureLedger.Kind.ASSET, id, upload.tenantId(), t);
        Workspace.delete(tempDirectory, id);
    }

    private static String reason(Throwable t) {
        return FailureLedger.printable(t instanceof RejectedException r ? r.reason() + ": " + r.getMessage() : t.toString());
    }
}
