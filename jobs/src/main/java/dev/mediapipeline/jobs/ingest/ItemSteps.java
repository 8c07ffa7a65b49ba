package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.error.TransientException;
import dev.mediapipeline.writers.FailureRecorder;
import java.time.Duration;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What every partitioned item step (ingest, migration) shares: how the partitions run, and the
 * fault tolerance of the chunk step each partition runs.
 */
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

    /** The manager step: {@code worker} once per partition, {@code media.ingest.threads} partitions at a time. */
    public static Step partitioned(String name, String threadPrefix, JobRepository jobs, Partitioner partitioner, Step worker,
            IngestProperties ingest) {
        return new StepBuilder(name, jobs)
                .partitioner(worker.getName(), partitioner)
                .step(worker)
                .gridSize(ingest.partitions())
                .taskExecutor(partitionExecutor(threadPrefix, ingest))
                .build();
    }

    /**
     * The chunk step of one partition: transient faults retried ({@link #transientRetries}); a
     * {@link RejectedException} skips the item, recorded by {@code rejections}; any other failure fails
     * the step, its items recorded in the failure ledger by {@code failures}.
     */
    public static <I, O> Step itemStep(String name, JobRepository jobs, PlatformTransactionManager transactions, IngestProperties ingest,
            ItemReader<I> reader, ItemProcessor<I, O> processor, ItemWriter<O> writer, SkipListener<I, O> rejections,
            FailureRecorder failures) {
        return new StepBuilder(name, jobs)
                .<I, O>chunk(ingest.chunkSize())
                .transactionManager(transactions)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .faultTolerant()
                .retryPolicy(transientRetries(ingest))
                .skipPolicy((failure, skipped) -> failure instanceof RejectedException)
                .skipListener(rejections)
                .listener((StepListener) failures) // the typed overload: listener(Object) registers only annotated methods
                .build();
    }

    /** Threads for the partitions, {@code media.ingest.threads} of them at once. */
    public static SimpleAsyncTaskExecutor partitionExecutor(String threadPrefix, IngestProperties ingest) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadPrefix);
        executor.setConcurrencyLimit(ingest.concurrency());
        return executor;
    }
}
