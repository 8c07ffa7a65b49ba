package dev.mediapipeline.jobs.download;

import org.springframework.context.annotation.Import;
import dev.mediapipeline.jobs.control.LocalExecutions;
import dev.mediapipeline.jobs.control.JobLifecycleConfiguration;
import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.core.download.DownloadBatch;
import dev.mediapipeline.core.download.DownloadProperties;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.writers.zip.ZipPartWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job {@value #JOB}: a ZIP of the chosen renditions of many assets, streamed into the published
 * bucket by S3 multipart upload. {@code freezeEntries} fixes the members and starts the upload;
 * {@code writeParts} writes one part per transaction, recording it, so a stop or crash resumes
 * after the last recorded part; {@code completeDownload} joins the parts.
 */
@Configuration(proxyBeanMethods = false)
@Import(JobLifecycleConfiguration.class)
@EnableConfigurationProperties(DownloadProperties.class)
public class DownloadJobConfiguration {

    public static final String JOB = "batchDownload";
    public static final String DOWNLOAD_ID = "downloadId";

    /**
     * the download's id and the tenant it was requested for (not identifying: the id is); launched by
     * {@code POST /downloads}, which checks that every asset is the tenant's, so only an admin key may
     * launch it directly
     */
    @Bean
    JobDeclaration batchDownloadParameters() {
        return new JobDeclaration(JOB, java.util.List.of(
                JobDeclaration.Parameter.required(DOWNLOAD_ID, JobDeclaration.Kind.UUID),
                JobDeclaration.Parameter.optional(JobDeclaration.TENANT, JobDeclaration.Kind.UUID, false)), false);
    }

    @Bean
    Job batchDownload(JobRepository jobs, Step freezeEntries, Step writeParts, Step completeDownload,
            LocalExecutions local) {
        return new JobBuilder(JOB, jobs)
                .listener(local)
                .validator(parameters -> {
                    var id = parameters.getParameter(DOWNLOAD_ID);
                    try {
                        UUID.fromString(String.valueOf(id == null ? null : id.value()));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidJobParametersException(JOB + " needs the id of a requested download as " + DOWNLOAD_ID);
                    }
                })
                .start(freezeEntries).next(writeParts).next(completeDownload).build();
    }

    @Bean
    Step freezeEntries(JobRepository jobs, PlatformTransactionManager transactions, DownloadBatch batch, ObjectStore store,
            DownloadProperties properties) {
        return new StepBuilder("freezeEntries", jobs).tasklet((contribution, context) -> {
            StepExecution step = context.getStepContext().getStepExecution();
            DownloadBatch.Download download = download(batch, step);
            batch.started(download.id(), step.getJobExecutionId());
            // at most one member past the limit is frozen: enough to know the selection is over it
            int entries = batch.freeze(download.id(), properties.maxEntries() + 1);
            long bytes = batch.entryBytes(download.id());
            if (bytes > properties.maxBytes().toBytes() || entries > properties.maxEntries()) {
                // refused before anything is written, in this step's own transaction: the download reads FAILED with
                // the reason, its frozen members go, and the next steps find nothing to do
                String reason = String.format("the selection holds %s files, %d bytes: over the limit of %d files, %d bytes per "
                        + "download (media.downloads.max-entries, max-bytes); split it",
                        entries > properties.maxEntries() ? "more than " + properties.maxEntries() : String.valueOf(entries), bytes,
                        properties.maxEntries(), properties.maxBytes().toBytes());
                batch.refused(download.id(), reason);
                contribution.setExitStatus(new org.springframework.batch.core.ExitStatus("REFUSED", reason));
                return RepeatStatus.FINISHED;
            }
            if (download.uploadId() == null) {
                String uploadId = store.createMultipartUpload(download.bucket(), download.objectKey(),
                        new ObjectStore.PutOptions("application/zip", "private, max-age=0", null));
                try {
                    batch.uploadStarted(download.id(), uploadId);
                } catch (RuntimeException e) {
                    // its id never reached the database: no restart could resume it, so nothing is left open
                    store.abortAfterFailure(download.bucket(), download.objectKey(), uploadId, e);
                    throw e;
                }
            }
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    @Bean
    Step writeParts(JobRepository jobs, PlatformTransactionManager transactions, DownloadBatch batch, ObjectStore store,
            MediaProperties media, DownloadProperties properties) {
        ZipPartWriter writer = new ZipPartWriter(batch, store, media.tempDirectory(), properties.partSize().toBytes());
        return new StepBuilder("writeParts", jobs).tasklet((contribution, context) -> {
            DownloadBatch.Download download = download(batch, context.getStepContext().getStepExecution());
            if (download.state().equals("FAILED") && download.failure() != null) {
                return RepeatStatus.FINISHED; // refused when it was frozen
            }
            DownloadBatch.Part part = writer.writeNext(download, stamp(download));
            contribution.incrementWriteCount(1);
            return part.last() ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
        }, transactions).build();
    }

    @Bean
    Step completeDownload(JobRepository jobs, PlatformTransactionManager transactions, DownloadBatch batch, ObjectStore store) {
        return new StepBuilder("completeDownload", jobs).tasklet((contribution, context) -> {
            DownloadBatch.Download download = download(batch, context.getStepContext().getStepExecution());
            if (download.state().equals("FAILED") && download.failure() != null) {
                return RepeatStatus.FINISHED; // refused when it was frozen
            }
            var parts = batch.parts(download.id());
            long size = parts.getLast().endOffset();
            var stored = store.head(download.bucket(), download.objectKey());
            // completed already by an execution that died before recording it: the object is there
            if (stored.isEmpty() || stored.get().size() != size) {
                store.completeMultipartUpload(download.bucket(), download.objectKey(), download.uploadId(),
                        parts.stream().map(p -> new ObjectStore.Part(p.number(), p.etag())).toList());
            }
            batch.complete(download.id(), size);
            return RepeatStatus.FINISHED;
        }, transactions).build();
    }

    private static DownloadBatch.Download download(DownloadBatch batch, StepExecution step) {
        UUID id = UUID.fromString(step.getJobParameters().getString(DOWNLOAD_ID));
        return batch.find(id).orElseThrow(() -> new IllegalStateException("no download " + id));
    }

    /** The members' time stamp: the request's time, so the archive's bytes never depend on when a part is made. */
    private static LocalDateTime stamp(DownloadBatch.Download download) {
        return LocalDateTime.ofInstant(download.createdAt(), ZoneOffset.UTC).withNano(0);
    }
}
