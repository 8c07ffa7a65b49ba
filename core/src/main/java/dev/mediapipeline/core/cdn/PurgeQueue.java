package dev.mediapipeline.core.cdn;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the CDN must forget, recorded and delivered until acknowledged. A change that makes an
 * asset's URLs stale (trash, restore, visibility, a version restored) {@link #enqueue enqueues} the
 * asset's URL prefixes in its own transaction, so the record exists exactly when the change does;
 * {@link #deliverDue} sends every due record to every configured {@link Purger} and marks it
 * acknowledged when all of them took it, or schedules the next attempt with a growing back-off
 * (10 s doubling, at most {@link #MAX_BACKOFF}). With no purger configured nothing is recorded.
 */
public class PurgeQueue {

    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(PurgeQueue.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final List<Purger> purgers;

    public PurgeQueue(JdbcClient jdbc, TransactionTemplate transactions, List<Purger> purgers) {
        this.jdbc = jdbc;
        this.transactions = transactions;
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

    /** Records prefixes to purge, in the caller's transaction; the id, or null when no CDN is configured. */
    public Long enqueue(List<String> prefixes, String reason) {
        if (purgers.isEmpty() || prefixes.isEmpty()) {
            return null;
        }
        PurgeBatch.of(List.of(), prefixes); // refused here, in the change's transaction, rather than on every retry
        return jdbc.sql("insert into cdn_purge (prefixes, reason) values (?, ?) returning id")
                .params(prefixes.toArray(String[]::new), reason).query(Long.class).single();
    }

    /** How many records wait for an attempt that is due now. */
    public int due() {
        return jdbc.sql("select count(*) from cdn_purge where acknowledged_at is null and next_attempt_at <= now()")
                .query(Integer.class).single();
    }

    /** What one round of delivery did. */
    public record Delivery(int acknowledged, int failed) {
    }

    /**
     * Sends up to {@code limit} due records, oldest first, each in its own transaction that holds
     * its row (other instances skip it meanwhile), and returns how many were acknowledged and how
     * many failed again.
     */
    public Delivery deliverDue(int limit) {
        int acknowledged = 0;
        int failed = 0;
        for (int i = 0; i < limit; i++) {
            Boolean outcome = transactions.execute(status -> deliverOne());
            if (outcome == null) {
                break;
            }
            if (outcome) {
                acknowledged++;
            } else {
                failed++;
            }
        }
        return new Delivery(acknowledged, failed);
    }

    /** Delivers one record now, whatever its next attempt time (right after the change that made it); whether it was acknowledged. */
    public boolean deliver(long id) {
        Boolean outcome = transactions.execute(status -> deliver(jdbc.sql("""
                select id, prefixes, attempts from cdn_purge where id = ? and acknowledged_at is null for update skip locked""")
                .param(id).query(Row::of).optional().orElse(null)));
        return outcome != null && outcome;
    }

    private record Row(long id, List<String> prefixes, int attempts) {
        static Row of(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
            return new Row(rs.getLong("id"), List.of((String[]) rs.getArray("prefixes").getArray()), rs.getInt("attempts"));
        }
    }

    /** null: nothing due */
    private Boolean deliverOne() {
        return jdbc.sql("""
                select id, prefixes, attempts from cdn_purge where acknowledged_at is null and next_attempt_at <= now()
                order by next_attempt_at, id limit 1 for update skip locked""")
                .query(Row::of).optional().map(this::deliver).orElse(null);
    }

    private Boolean deliver(Row row) {
        if (row == null) {
            return null;
        }
        try {
            // one batch per record, its id the record's: a retry is the same batch (a CloudFront retry the same caller reference)
            PurgeBatch batch = new PurgeBatch("cdn-purge-" + row.id(), List.of(), row.prefixes());
            for (Purger purger : purgers) {
                purger.purge(batch);
            }
            jdbc.sql("update cdn_purge set attempts = attempts + 1, acknowledged_at = now(), last_error = null where id = ?")
                    .param(row.id()).update();
            return true;
        } catch (PurgeException | RuntimeException e) {
            long backoff = Math.min(MAX_BACKOFF.toSeconds(), 10L << Math.min(row.attempts(), 16));
            String error = String.valueOf(e.getMessage());
            log.warn("CDN purge {} of {} failed (attempt {}), next in {} s: {}", row.id(), row.prefixes(), row.attempts() + 1, backoff, error);
            jdbc.sql("""
                    update cdn_purge set attempts = attempts + 1, last_error = ?,
                                         next_attempt_at = now() + cast(? as interval) where id = ?""")
                    .params(error.length() > 2000 ? error.substring(0, 2000) : error, backoff + " seconds", row.id()).update();
            return false;
        }
    }
}
