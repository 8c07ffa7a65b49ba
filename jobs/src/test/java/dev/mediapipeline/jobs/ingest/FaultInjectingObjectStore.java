package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.error.TransientException;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.testing.ForwardingObjectStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real S3 store with one fault that a test can arm: the first partition thread that has
 * stored n originals fails on its next one, and every put of that key fails as an S3 outage does
 * (a transient error) until healed. A partition's items run one after another on its thread, so
 * the fault comes after exactly n of that partition's items. Everything else goes to S3Proxy unchanged.
 */
class FaultInjectingObjectStore extends ForwardingObjectStore {

    private final AtomicReference<String> failingKey = new AtomicReference<>();
    private final ThreadLocal<java.util.Set<String>> originalsStoredByThisThread = ThreadLocal.withInitial(java.util.HashSet::new);
    private volatile int failAfter = -1;

    FaultInjectingObjectStore(ObjectStore real) {
        super(real);
    }

    void failAfterOriginalsOnOneThread(int n) {
        failAfter = n;
    }

    /** The key that failed, once one did. */
    String failedKey() {
        return failingKey.get();
    }

    void heal() {
        failAfter = -1;
        failingKey.set(null);
    }

    private synchronized void check(String key) {
        if (failAfter > 0 && failingKey.get() == null && key.startsWith("originals/")) {
            java.util.Set<String> mine = originalsStoredByThisThread.get();
            if (!mine.contains(key)) {
                if (mine.size() == failAfter) {
                    failingKey.set(key);
                } else {
                    mine.add(key);
                }
            }
        }
        if (key.equals(failingKey.get())) {
            throw new TransientException("injected S3 outage on put of " + key);
        }
    }

    @Override
    public void put(String bucket, String key, Path file, PutOptions options) {
        check(key);
        real.put(bucket, key, file, options);
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, Path file, PutOptions options) {
        check(key);
        return real.putIfAbsent(bucket, key, file, options);
    }

}
