package dev.mediapipeline.jobs.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each item's processing takes in this process (assemble, scan, validate, render or
 * package: the processor; each attempt on its own when a transient fault retries it), so that an item that hangs can be named while it
 * hangs: the items in flight with their start, and the slowest that finished. An item slower than
 * {@code media.ingest.slow-item} is logged once it ends. Kept in memory; it holds the
 * {@value #KEPT} slowest items, never one row per item.
 */
public class ItemClock {

    private static final Logger log = LoggerFactory.getLogger(ItemClock.class);
    static final int KEPT = 20;

    private final Duration slow;
    private final Map<Object, Long> inFlight = new ConcurrentHashMap<>();
    private final List<Timed> slowest = new ArrayList<>();

    public ItemClock(Duration slow) {
        this.slow = slow;
    }

    /** An item and how long it took (or has taken so far, when it is still in flight). */
    public record Timed(String item, Duration took, boolean running) {
    }

    /** Marks an item's start; the token given back ends it. */
    public Object start(Object item) {
        Object token = new Object[] {item};
        inFlight.put(token, System.nanoTime());
        return token;
    }

    public void end(Object token) {
        Long started = inFlight.remove(token);
        if (started == null) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String item = String.valueOf(((Object[]) token)[0]);
        if (took.compareTo(slow) > 0) {
            log.warn("an item took {} s to process (over media.ingest.slow-item, {}): {}", took.toSeconds(), slow, item);
        }
        synchronized (slowest) {
            slowest.add(new Timed(item, took, false));
            slowest.sort(Comparator.comparing(Timed::took).reversed());
            if (slowest.size() > KEPT) {
                slowest.removeLast();
            }
        }
    }

    /** The slowest items: those in flight now (by how long they have run so far) and those that finished, slowest first. */
    public List<Timed> slowest() {
        List<Timed> all = new ArrayList<>();
        long now = System.nanoTime();
        inFlight.forEach((token, started) -> all.add(new Timed(String.valueOf(((Object[]) token)[0]), Duration.ofNanos(now - started), true)));
        synchronized (slowest) {
            all.addAll(slowest);
        }
        all.sort(Comparator.comparing(Timed::took).reversed());
        return all.size() > KEPT ? List.copyOf(all.subList(0, KEPT)) : List.copyOf(all);
    }

    /** The items, finished or in flight, whose processing has taken longer than {@code bound}. */
    public List<Timed> over(Duration bound) {
        return slowest().stream().filter(t -> t.took().compareTo(bound) > 0).toList();
    }
}
