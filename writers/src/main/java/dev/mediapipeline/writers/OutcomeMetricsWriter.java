package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.metrics.PipelineMetrics;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Counts and logs each published item once its chunk commits: the outcome ({@code media.items}),
 * the original's bytes taken in, and the renditions' and stream files' bytes published. The last
 * writer of a publishing step, so that it sees only what the writers before it wrote.
 */
public class OutcomeMetricsWriter implements ItemWriter<Rendered> {

    private final PipelineMetrics metrics;
    private final String job;
    private final long jobExecutionId;

    public OutcomeMetricsWriter(PipelineMetrics metrics, String job, long jobExecutionId) {
        this.metrics = metrics;
        this.job = job;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered item : chunk) {
            metrics.item(new PipelineMetrics.Outcome(job, jobExecutionId, item.upload().tenantId(), item.upload().uploadId(), "published",
                    null, null));
            metrics.ingested("original", item.original().size());
            long renditions = item.renditions().stream().mapToLong(RenditionFile::size).sum();
            if (renditions > 0) {
                metrics.published("rendition", renditions);
            }
            if (item instanceof PackagedVideo video) {
                metrics.published("stream", video.files().stream().mapToLong(f -> f.size()).sum());
            }
        }
    }
}
