package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.error.ItemFailedException;
import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.error.TransientException;
import dev.mediapipeline.jobs.control.ItemClock;
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

    /**
     * S3 and clamd faults, and the database's deadlocks, timeouts and lost connections, retried with
     * doubling backoff. The AWS SDK's own exceptions are among them: the object store maps the ones it
     * sees to {@link TransientException}, but one thrown while a response body is read (a connection
     * reset half way) reaches the step as it is.
     */
    public static RetryPolicy transientRetries(IngestProperties ingest) {
        return RetryPolicy.builder()
                .includes(TransientException.class, TransientDataAccessException.class, RecoverableDataAccessException.class,
                        software.amazon.awssdk.core.exception.SdkException.class)
                .maxRetries(ingest.retries())
                .delay(ingest.retryDelay())
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(30))
                .build();
    }

    /**
     * The manager step: {@code worker} once per partition, run as {@code partitions} says: here,
     * {@code media.ingest.threads} partitions at a time, or on worker JVMs through the broker.
     */
    public static Step partitioned(String name, String threadPrefix, JobRepository jobs, Partitioner partitioner, Step worker,
            IngestProperties ingest, dev.mediapipeline.jobs.remote.Partitions partitions) {
        return new StepBuilder(name, jobs)
                .partitioner(worker.getName(), partitioner)
                .step(worker)
                .gridSize(ingest.partitions())
                .partitionHandler(partitions.handler(worker, threadPrefix, ingest))
                .build();
    }

    /**
     * The chunk step of one partition: transient faults retried ({@link #transientRetries}); a
     * {@link RejectedException} skips the item, recorded by {@code rejections}; anything else the
     * processing of one item throws (errors included: a decoder's, the heap's) is contained as an
     * {@link ItemFailedException} and skipped the same way, so no item can stop its partition for good;
     * a failure while writing fails the step, its items recorded in the failure ledger by {@code failures}.
     */
    public static <I, O> Step itemStep(String name, JobRepository jobs, PlatformTransactionManager transactions, IngestProperties ingest,
            ItemReader<I> reader, ItemProcessor<I, O> processor, ItemWriter<O> writer, SkipListener<I, O> rejections,
            FailureRecorder failures, ItemClock clock) {
        return new StepBuilder(name, jobs)
                .<I, O>chunk(ingest.chunkSize())
                .transactionManager(transactions)
                .reader(reader)
                .processor(timed(contained(processor), clock))
                .writer(writer)
                .faultTolerant()
                .retryPolicy(transientRetries(ingest))
                .skipPolicy((failure, skipped) -> failure instanceof RejectedException)
                .skipListener(rejections)
                .listener((StepListener) failures) // the typed overload: listener(Object) registers only annotated methods
                .listener((StepListener) COMMIT_FAILURE_IS_A_FAILURE)
                .build();
    }

    /**
     * A chunk whose commit failed leaves its step UNKNOWN in Spring Batch, which then refuses a
     * restart ("manual intervention is probably necessary"): it cannot tell whether the commit
     * happened. Here it can: every item's state ({@code ingest_item}, {@code migration_item}) is
     * written in the chunk's own transaction, the reader reads back only unfinished items, and
     * objects are content-addressed and written only if absent. Whether the commit happened or not,
     * a restart does exactly the rest, so such a step is FAILED, and restartable.
     */
    static final org.springframework.batch.core.listener.StepExecutionListener COMMIT_FAILURE_IS_A_FAILURE =
            new org.springframework.batch.core.listener.StepExecutionListener() {
                @Override
                public org.springframework.batch.core.ExitStatus afterStep(org.springframework.batch.core.step.StepExecution step) {
                    if (step.getStatus() != org.springframework.batch.core.BatchStatus.UNKNOWN) {
                        return null;
                    }
                    step.setStatus(org.springframework.batch.core.BatchStatus.FAILED);
                    return org.springframework.batch.core.ExitStatus.FAILED.addExitDescription("a chunk's commit failed; the items' "
                            + "states are read back from the database, so a restart does exactly what is left");
                }
            };

    /**
     * The processor with what one item's processing throws contained: service faults (to be retried)
     * and refusals pass as they are, an interrupted thread stays interrupted, and any other exception
     * or error (OutOfMemoryError, StackOverflowError included; the item's allocations are unreachable
     * once it is thrown) becomes an {@link ItemFailedException}.
     */
    static <I, O> ItemProcessor<I, O> contained(ItemProcessor<I, O> processor) {
        return item -> {
            try {
                return processor.process(item);
            } catch (RejectedException | TransientException | TransientDataAccessException | RecoverableDataAccessException
                    | software.amazon.awssdk.core.exception.SdkException | InterruptedException passOn) {
                // service faults are retried, then fail the step as before: the item is not at fault
                throw passOn;
            } catch (Exception | OutOfMemoryError | StackOverflowError failed) {
                if (Thread.currentThread().isInterrupted() || dev.mediapipeline.jobs.control.GracefulShutdown.inProgress()) {
                    // the process is going (services closing under the item): the item stays PENDING for the restart
                    throw failed instanceof Exception e ? e : new IllegalStateException(failed);
                }
                throw new ItemFailedException(failed);
            }
        };
    }

    /** The processor with each item's processing (its retries included) timed by {@code clock}. */
    static <I, O> ItemProcessor<I, O> timed(ItemProcessor<I, O> processor, ItemClock clock) {
        return item -> {
            Object token = clock.start(item);
            try {
                return processor.process(item);
            } finally {
                clock.end(token);
            }
        };
    }

    /** Threads for the partitions, {@code media.ingest.threads} of them at once. */
    public static SimpleAsyncTaskExecutor partitionExecutor(String threadPrefix, IngestProperties ingest) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadPrefix);
        executor.setConcurrencyLimit(ingest.concurrency());
        return executor;
    }
}
