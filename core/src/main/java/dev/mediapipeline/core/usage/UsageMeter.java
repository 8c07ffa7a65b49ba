package dev.mediapipeline.core.usage;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the origin delivered, counted in memory per day, tenant, asset, kind, format and cache (no
 * database write per request) and added to {@code usage_delivery} by {@link #flush()}: on a schedule,
 * at shutdown, and when the counts grow past {@code maxKeys}. Each count is taken out of the map
 * atomically as it is flushed and put back when the flush fails, so none is lost or added twice by
 * concurrent requests; a process killed between flushes loses at most one interval's counts.
 */
public class UsageMeter {

    /** One delivered answer's subject: whose, which asset (or {@link DeliveryFormat#NO_ASSET}) and its kind. */
    public record Subject(UUID tenantId, UUID assetId, String kind) {
    }

    record Key(LocalDate day, UUID tenantId, UUID assetId, String kind, String format, String cache) {
    }

    record Counts(long requests, long bytes) {
        Counts plus(Counts other) {
            return new Counts(requests + other.requests, bytes + other.bytes);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UsageMeter.class);

    private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxKeys;
    /** An early flush is under way. */
    private final java.util.concurrent.atomic.AtomicBoolean early = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param maxKeys distinct counts past which a flush starts at once (on a thread of its own, never the request's) */
    public UsageMeter(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, int maxKeys) {
        this.jdbc = jdbc;
        // its own transaction, whatever the caller's: counts taken out of memory are put back if it does not commit
        this.transactions = new TransactionTemplate(java.util.Objects.requireNonNull(transactions.getTransactionManager()));
        this.transactions.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /**
     * Counts one answer of the origin.
     *
     * @param edgeFetch whether the request was the edge's own fetch (its log counts the client's)
     */
    public void delivered(Subject subject, String format, boolean edgeFetch, long bytes) {
        Key key = new Key(UsageDay.today(clock), subject.tenantId(), subject.assetId(), subject.kind(), format,
                edgeFetch ? "fetch" : "origin");
        counts.merge(key, new Counts(1, Math.max(0, bytes)), Counts::plus);
        if (counts.size() > maxKeys && early.compareAndSet(false, true)) {
            Thread.ofVirtual().name("usage-flush").start(() -> {
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.warn("usage: flushing {} waiting counts failed; the next flush retries them: {}", counts.size(), e.toString());
                } finally {
                    early.set(false);
                }
            });
        }
    }

    /** Distinct counts waiting for the next flush. */
    public int waiting() {
        return counts.size();
    }

    /** Adds every waiting count to {@code usage_delivery} in one transaction; returns how many rows it added to. */
    public synchronized int flush() {
        List<Map.Entry<Key, Counts>> taken = new ArrayList<>();
        for (Key key : List.copyOf(counts.keySet())) {
            Counts c = counts.remove(key);
            if (c != null) {
                taken.add(Map.entry(key, c));
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        try {
            transactions.executeWithoutResult(tx -> DeliveryCounts.add(jdbc, "origin", taken.stream().map(e -> new DeliveryCounts.Row(
                    e.getKey().day(), e.getKey().tenantId(), e.getKey().assetId(), e.getKey().kind(), e.getKey().format(), e.getKey().cache(),
                    e.getValue().requests(), e.getValue().bytes())).toList()));
        } catch (RuntimeException e) {
            for (Map.Entry<Key, Counts> back : taken) {
                counts.merge(back.getKey(), back.getValue(), Counts::plus);
            }
            throw e;
        }
        return taken.size();
    }
}
