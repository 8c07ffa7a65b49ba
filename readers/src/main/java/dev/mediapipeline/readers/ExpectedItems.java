package dev.mediapipeline.readers;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How many items a step execution is going to read, kept in its execution context by readers that
 * know it when they open (a frozen batch, a frozen selection). Job status reports progress and the
 * estimated remaining time from it.
 */
public final class ExpectedItems {

    public static final String KEY = "media.expectedItems";

    private ExpectedItems() {
    }

    public static void put(ExecutionContext context, long items) {
        context.putLong(KEY, items);
    }

    /** -1 when the step's reader did not say. */
    public static long of(ExecutionContext context) {
        return context.containsKey(KEY) ? context.getLong(KEY) : -1;
    }
}
