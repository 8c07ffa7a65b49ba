package dev.mediapipeline.core.cdn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the CDN must forget, recorded and delivered until acknowledged. A change that makes an
 * asset's URLs stale (trash, restore, visibility, a version restored) {@link #enqueue enqueues} the
 * asset's URL prefixes in its own transaction, so the record exists exactly when the change does,
 * in records of at most {@link #MAX_PREFIXES} prefixes. Each change gets two: one due at once,
 * which the caller hands to {@link #deliverSoon} after its commit, and a trailing one due
 * {@link #TRAILING} later, which clears what a response already on its way when the change committed
 * put into a cache after the first purge.
 *
 * <p>{@link #deliverDue} sends due records to every configured {@link Purger}. A record is claimed
 * by a short update that leases it ({@link #LEASE}: no other instance takes it meanwhile, and a
 * delivery that dies with its process is taken again when the lease ends); the CDN is called with no
 * transaction or connection held. Acknowledged by every purger: done. Refused in a way that can pass
 * (a 5xx, a 429, no answer): the next attempt after a growing back-off (10 s doubling, at most
 * {@link #MAX_BACKOFF}). Refused for good (a bad token, an unknown distribution): parked, with its
 * error, until an operator sets {@code next_attempt_at} again. With no purger configured nothing is
 * recorded.
 */
public class PurgeQueue implements AutoCloseable {

    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration TRAILING = Duration.ofSeconds(30);
    static final int MAX_PREFIXES = 50;
    private static final Logger log = LoggerFactory.getLogger(PurgeQueue.class);

    private final JdbcClient jdbc;
    private final List<Purger> purgers;
    /** one sender after commits: a burst of changes queues here instead of holding request threads */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("cdn-purge").factory());

    private final dev.mediapipeline.core.metrics.PipelineMetrics metrics;

    public PurgeQueue(JdbcClient jdbc, List<Purger> purgers, dev.mediapipeline.core.metrics.PipelineMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.purgers = List.copyOf(purgers);
    }

    /** The URL prefixes under which an asset is delivered: its renditions and original, and its streams. */
    public static List<String> assetPrefixes(UUID assetId) {
        return List.of("/media/" + assetId + "/", "/streams/" + assetId + "/");
    }

    /** Whether any CDN is configured to be purged. */
    public boolean active() {
        return !purgers.isEmpty();
    }

    /**
     * Records prefixes to purge, in the caller's transaction: records due now (returned, for
     * {@link #deliverSoon} after the commit) and their trailing twins. None when no CDN is configured.
     */
    public List<Long> enqueue(List<String> prefixes, String reason) {
        if (purgers.isEmpty() || prefixes.isEmpty()) {
            return List.of();
        }
        PurgeBatch.of(List.of(), prefixes); // refused here, in the change's transaction, rather than on every retry
        List<Long> now = new ArrayList<>();
        for (int from = 0; from < prefixes.size(); from += MAX_PREFIXES) {
            String[] part = prefixes.subList(from, Math.min(prefixes.size(), from + MAX_PREFIXES)).toArray(String[]::new);
            now.add(jdbc.sql("insert into cdn_purge (prefixes, reason) values (?, ?) returning id").params(part, reason)
                    .query(Long.class).single());
            jdbc.sql("insert into cdn_purge (prefixes, reason, next_attempt_at) values (?, ?, now() + cast(? as interval))")
                    .params(part, reason + " (trailing)", TRAILING.toSeconds() + " seconds").update();
        }
        metrics.purges("requested", 2 * now.size()); // each with its trailing twin
        return now;
    }

    /** Sends these records from the background sender (after the change that made them committed); the retries take what fails. */
    public void deliverSoon(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            sender.execute(() -> {
                for (long id : ids) {
                    try {
                        deliver(id);
                    } catch (RuntimeException e) {
                        log.warn("CDN purge {} not sent now ({}); it is retried", id, e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.info("CDN purges {} left to the retries: the application is stopping", ids);
        }
    }

    /** How many records wait for an attempt that is due now. */
    public int due() {
        return jdbc.sql("select count(*) from cdn_purge where acknowledged_at is null and next_attempt_at <= now()")
                .query(Integer.class).single();
    }

    /** What one round of delivery did. */
    public record Delivery(int acknowledged, int failed) {
    }

    /** Sends up to {@code limit} due records, oldest first; how many were acknowledged and how many failed again. */
    public Delivery deliverDue(int limit) {
        int acknowledged = 0;
        int failed = 0;
        for (int i = 0; i < limit; i++) {
            Row row = jdbc.sql("""
                    update cdn_purge set next_attempt_at = now() + cast(:lease as interval), attempts = attempts + 1
                    where id = (select id from cdn_purge where acknowledged_at is null and next_attempt_at <= now()
                                order by next_attempt_at, id limit 1 for update skip locked)
                    returning id, prefixes, attempts""")
                    .param("lease", LEASE.toSeconds() + " seconds").query(Row::of).optional().orElse(null);
            if (row == null) {
                break;
            }
            if (send(row)) {
                acknowledged++;
            } else {
                failed++;
            }
        }
        return new Delivery(acknowledged, failed);
    }

    /** Sends one record now unless it is acknowledged or another delivery holds it; whether it was acknowledged. */
    public boolean deliver(long id) {
        return jdbc.sql("""
                update cdn_purge set next_attempt_at = now() + cast(? as interval), attempts = attempts + 1
                where id = ? and acknowledged_at is null and next_attempt_at <= now()
                returning id, prefixes, attempts""")
                .params(LEASE.toSeconds() + " seconds", id).query(Row::of).optional().map(this::send).orElse(false);
    }

    @Override
    public void close() {
        sender.shutdown();
    }

    /** A claimed record; {@code attempts} counts this one. */
    private record Row(long id, List<String> prefixes, int attempts) {
        static Row of(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
            return new Row(rs.getLong("id"), List.of((String[]) rs.getArray("prefixes").getArray()), rs.getInt("attempts"));
        }
    }

    private boolean send(Row row) {
        try {
            // one batch per record, its id the record's: a retry is the same batch (a CloudFront retry the same caller reference)
            PurgeBatch batch = new PurgeBatch("cdn-purge-" + row.id(), List.of(), row.prefixes());
            for (Purger purger : purgers) {
                purger.purge(batch);
            }
            jdbc.sql("update cdn_purge set acknowledged_at = now(), last_error = null where id = ?").param(row.id()).update();
            metrics.purges("acknowledged", 1);
            return true;
        } catch (PurgeException | RuntimeException e) {
            boolean retryable = !(e instanceof PurgeException refused) || refused.retryable();
            metrics.purges(retryable ? "failed" : "parked", 1);
            long backoff = Math.min(MAX_BACKOFF.toSeconds(), 10L << Math.min(row.attempts() - 1, 16));
            String error = String.valueOf(e.getMessage());
            if (retryable) {
                log.warn("CDN purge {} of {} failed (attempt {}), next in {} s: {}", row.id(), row.prefixes(), row.attempts(), backoff, error);
            } else {
                log.error("CDN purge {} of {} refused for good (attempt {}): {}; parked until next_attempt_at is set again",
                        row.id(), row.prefixes(), row.attempts(), error);
            }
            jdbc.sql("""
                    update cdn_purge set last_error = ?,
                                         next_attempt_at = case when ? then now() + cast(? as interval) else 'infinity' end
                    where id = ?""")
                    .params(error.length() > 2000 ? error.substring(0, 2000) : error, retryable, backoff + " seconds", row.id()).update();
            return false;
        }
    }
}
