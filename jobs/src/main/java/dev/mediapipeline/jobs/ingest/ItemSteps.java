package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.error.TransientException;
import java.time.Duration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** What every partitioned item step (ingest, migration) shares: its retries and its partition threads. */
public final class ItemSteps {

    private ItemSteps() {
    }

    /** S3 and clamd faults, and the database's deadlocks, timeouts and lost connections, retried with doubling backoff. */
    public static RetryPolicy transientRetries(IngestProperties ingest) {
        return RetryPolicy.builder()
                .includes(TransientException.class, TransientDataAccessException.class, RecoverableDataAccessException.class)
                .maxRetries(ingest.retries())
                .delay(ingest.retryDelay())
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(30))
                .build();
    }

    /** Threads for the partitions, {@code media.ingest.threads} of them at once. */
    public static SimpleAsyncTaskExecutor partitionExecutor(String threadPrefix, IngestProperties ingest) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadPrefix);
        executor.setConcurrencyLimit(ingest.concurrency());
        return executor;
    }
}
