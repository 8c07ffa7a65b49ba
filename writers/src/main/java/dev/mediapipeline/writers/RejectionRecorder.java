package dev.mediapipeline.writers;

import dev.mediapipeline.core.error.ItemFailedException;
import dev.mediapipeline.core.metrics.PipelineMetrics;
import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.ingest.IngestBatch;
import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.scan.InfectedException;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records every skipped (rejected) upload with its reason, the signature and quarantine key of an
 * infected one, marks it REJECTED, and removes its local files. It runs in the chunk's
 * transaction, so a rolled-back chunk records nothing and the rerun records once.
 */
public class RejectionRecorder implements SkipListener<StagedUpload, Rendered> {

    private final JdbcClient jdbc;
    private final IngestBatch batch;
    private final Path tempDirectory;
    private final long jobExecutionId;
    private final FailureLedger ledger;
    private final String jobName;
    private final PipelineMetrics metrics;

    public RejectionRecorder(JdbcClient jdbc, IngestBatch batch, Path tempDirectory, long jobExecutionId, FailureLedger ledger,
            String jobName, PipelineMetrics metrics) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.jobName = jobName;
        this.jdbc = jdbc;
        this.batch = batch;
        this.tempDirectory = tempDirectory;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public void onSkipInProcess(StagedUpload upload, Throwable t) {
        record(upload.uploadId(), name(upload), upload.tenantId(), t);
    }

    @Override
    public void onSkipInWrite(Rendered image, Throwable t) {
        record(image.upload().uploadId(), name(image.upload()), image.upload().tenantId(), t);
    }

    /** The name the client gave the upload: its relative path when it sent one (a folder's upload), else its file name. */
    static String name(dev.mediapipeline.core.media.StagedUpload upload) {
        String relative = upload.metadata().get("relativePath");
        return relative != null && !relative.isBlank() ? relative : upload.metadata().get("filename");
    }

    private void record(UUID uploadId, String filename, UUID tenantId, Throwable t) {
        String reason = t instanceof RejectedException rejected ? rejected.reason() : "failed";
        InfectedException infected = t instanceof InfectedException i ? i : null;
        jdbc.sql("""
                insert into ingest_rejection (upload_id, job_execution_id, reason, message, signature, quarantine_key)
                values (?, ?, ?, ?, ?, ?) on conflict (upload_id, job_execution_id) do nothing""")
                .params(uploadId, jobExecutionId, reason, FailureLedger.printable(t.getMessage()),
                        infected == null ? null : infected.signature(), infected == null ? null : infected.quarantineKey())
                .update();
        ledger.record(jobName, jobExecutionId, FailureLedger.Kind.UPLOAD, uploadId, filename, tenantId, t);
        // counted and logged once the chunk commits: quarantined (infected), failed (the item's processing threw), or rejected
        String outcome = infected != null ? "quarantined" : t instanceof ItemFailedException ? "failed" : "rejected";
        metrics.item(new PipelineMetrics.Outcome(jobName, jobExecutionId, tenantId, uploadId, outcome,
                infected != null ? "infected" : reason, infected != null ? infected.signature() : FailureLedger.printable(t.getMessage())));
        batch.markRejected(uploadId);
        Workspace.delete(tempDirectory, uploadId);
    }
}
