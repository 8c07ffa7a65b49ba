package dev.mediapipeline.app;

import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.testing.ForwardingObjectStore;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The real S3 store, with a pause a test can switch on: while paused, every write into the chosen
 * bucket waits (the writing job thread is held mid-chunk) until the test resumes it. A test uses it
 * to stop, kill or race a job at a point it chose, not at a moment the clock chose. Open by default,
 * so the tests sharing the application context see plain S3. It can also make every write into a
 * bucket fail, as a full or broken store would, to show what a job does with an item that fails.
 */
public class PausableObjectStore extends ForwardingObjectStore {

    private volatile String pausedBucket;
    private volatile Semaphore gate = new Semaphore(0);
    private final Semaphore arrived = new Semaphore(0);
    private volatile String failingBucket;
    private volatile java.util.function.Predicate<String> failingKeys = key -> true;

    PausableObjectStore(ObjectStore real) {
        super(real);
    }

    /** From now on, writes into the bucket wait until {@link #resume()}. */
    public void pauseWritesTo(String bucket) {
        gate = new Semaphore(0);
        arrived.drainPermits();
        pausedBucket = bucket;
    }

    /** Waits until a writer is held at the pause. */
    public void awaitWriterHeld() throws InterruptedException {
        if (!arrived.tryAcquire(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no write reached the pause within 60 s");
        }
    }

    /** From now on, writes into the bucket throw an IllegalStateException until {@link #resume()}. */
    public void failWritesTo(String bucket) {
        failWritesTo(bucket, key -> true);
    }

    /** From now on, writes of the matching keys into the bucket throw an IllegalStateException until {@link #resume()}. */
    public void failWritesTo(String bucket, java.util.function.Predicate<String> keys) {
        failingKeys = keys;
        failingBucket = bucket;
    }

    public void resume() {
        failingBucket = null;
        pausedBucket = null;
        Semaphore current = gate;
        if (current.availablePermits() < Integer.MAX_VALUE / 4) { // open it once: a second resume must not overflow it
            current.release(Integer.MAX_VALUE / 2);
        }
    }

    private void passGate(String bucket, String key) {
        if (bucket.equals(failingBucket) && failingKeys.test(key)) {
            throw new IllegalStateException("the test made writes into " + bucket + " fail");
        }
        if (bucket.equals(pausedBucket)) {
            Semaphore current = gate;
            arrived.release();
            try {
                current.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the test's pause", e);
            }
        }
    }

    @Override
    public void put(String bucket, String key, Path file, PutOptions options) {
        passGate(bucket, key);
        real.put(bucket, key, file, options);
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, Path file, PutOptions options) {
        passGate(bucket, key);
        return real.putIfAbsent(bucket, key, file, options);
    }

    @Override
    public String uploadPart(String bucket, String key, String uploadId, int partNumber, Path file) {
        passGate(bucket, key);
        return real.uploadPart(bucket, key, uploadId, partNumber, file);
    }

    /** Wraps the application's ObjectStore bean. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Install {

        @Bean
        static BeanPostProcessor pausableObjectStore() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof ObjectStore store && !(bean instanceof PausableObjectStore)
                            ? new PausableObjectStore(store) : bean;
                }
            };
        }
    }
}
