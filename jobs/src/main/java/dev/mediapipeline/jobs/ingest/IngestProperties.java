package dev.mediapipeline.jobs.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ingest job's shape.
 *
 * @param gridSize   partitions of each frozen batch; 0 means one per core
 * @param threads    partitions run at once, so items in flight; 0 means one per core. With more
 *                   partitions than threads a thread that finishes early takes the next partition
 * @param chunkSize  items per transaction
 * @param retries    retries of an item after a transient fault (S3, clamd, database), with backoff
 * @param retryDelay the first backoff, doubled at each retry up to 30 s
 * @param rejectedRetention how long a refused (not infected) upload stays staged, so that a
 *                   requeue of its failure class can ingest it again
 * @param cleanPage  uploads whose staged chunks the clean-up step removes per transaction (16 at once)
 */
@Validated
@ConfigurationProperties("media.ingest")
public record IngestProperties(
        @DefaultValue("0") @Min(0) int gridSize,
        @DefaultValue("0") @Min(0) int threads,
        @DefaultValue("4") @Min(1) int chunkSize,
        @DefaultValue("5") @Min(0) int retries,
        @DefaultValue("500ms") @NotNull Duration retryDelay,
        @DefaultValue("7d") @NotNull Duration rejectedRetention,
        @DefaultValue("500") @Min(1) int cleanPage) {

    public int partitions() {
        return gridSize > 0 ? gridSize : Runtime.getRuntime().availableProcessors();
    }

    public int concurrency() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
