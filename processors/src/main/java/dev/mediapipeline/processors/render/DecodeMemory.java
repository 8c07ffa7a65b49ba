package dev.mediapipeline.processors.render;

import dev.mediapipeline.core.error.RejectedException;
import java.util.concurrent.Semaphore;

/**
 * Heap for decoded pixels, reserved from the image's header before it is decoded: the validator's
 * pixel budget bounds one image, but not two 50-megapixel ones decoded at once under a small heap.
 * An image holds its reservation (width x height x 4 bytes x {@value #COPIES}: the decoded frame,
 * its sRGB or upright copy, and the resize working set) until its renditions are written; the next
 * one waits for room instead of running the heap out. An image that cannot fit even alone is
 * refused as {@code too-large-for-memory}, with what it needs, so that an operator can give the
 * JVM more heap and requeue it. One budget per process, half of the maximum heap, shared by every job.
 */
public final class DecodeMemory {

    static final int COPIES = 3;
    private static final int KIB = 1024;

    public static final DecodeMemory PROCESS = new DecodeMemory(Runtime.getRuntime().maxMemory() / 2);

    private final long budgetKiB;
    private final Semaphore permits;

    DecodeMemory(long budgetBytes) {
        this.budgetKiB = Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / KIB));
        this.permits = new Semaphore((int) budgetKiB, true);
    }

    /** The heap an image decoded at {@code width} x {@code height} needs at its peak. */
    public static long estimate(long width, long height) {
        return estimate(width, height, 4);
    }

    /** The same, for a decode of {@code decodedBytesPerPixel} (8 for 16-bit RGBA) made 4 bytes a pixel afterwards. */
    static long estimate(long width, long height, int decodedBytesPerPixel) {
        return width * height * (decodedBytesPerPixel + 4L * (COPIES - 1));
    }

    /** Whether an image is waiting for room (for the tests). */
    boolean waiting() {
        return permits.hasQueuedThreads();
    }

    /** A reservation, released once. */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until {@code bytes} of the budget are free and reserves them.
     *
     * @throws RejectedException when the budget could never hold them
     */
    public Reservation reserve(long bytes, String what) throws InterruptedException {
        long kib = Math.max(1, (bytes + KIB - 1) / KIB);
        if (kib > budgetKiB) {
            throw new RejectedException("too-large-for-memory", String.format(java.util.Locale.ROOT,
                    "decoding %s needs about %d MB of heap, more than the %d MB this process allows one image (half of -Xmx); "
                            + "give the JVM more heap and requeue it", what, bytes >> 20, (budgetKiB * KIB) >> 20));
        }
        permits.acquire((int) kib);
        boolean[] released = {false};
        return () -> {
            if (!released[0]) {
                released[0] = true;
                permits.release((int) kib);
            }
        };
    }
}
