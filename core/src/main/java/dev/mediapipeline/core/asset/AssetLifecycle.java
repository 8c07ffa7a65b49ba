package dev.mediapipeline.core.asset;

import dev.mediapipeline.core.cdn.PurgeQueue;
import dev.mediapipeline.core.storage.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changes to published assets after publication, each in one transaction with its record in
 * {@code asset_event} and, when a CDN is configured, the purge of the asset's URLs
 * ({@link PurgeQueue}), delivered once the change has committed: trash and restore, visibility,
 * a version made current again, and the purge that removes an asset for good.
 *
 * <p>Purging is in two halves so that storage is never lost to a crash between them. First, in
 * one transaction, the asset's rows go, each file it referenced loses one reference, and its
 * streams' prefixes are listed in {@code stream_garbage}. Then {@link #collectFile} and
 * {@link #collectStream} remove what nothing references any more, each object under a lock on its
 * row. An ingest that finds the same bytes already stored holds a key-share lock on that row
 * ({@code ContentAddressedObjectWriter}) until its references commit, so a file is never collected
 * between an ingest seeing it and the ingest's reference to it.
 */
public class AssetLifecycle {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    /** a transaction of its own, whatever the caller's (the purge job's step has one) */
    private final TransactionTemplate ownTransaction;
    private final PurgeQueue purges;
    private final ObjectStore store;

    public AssetLifecycle(JdbcClient jdbc, TransactionTemplate transactions, PurgeQueue purges, ObjectStore store) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ownTransaction = new TransactionTemplate(transactions.getTransactionManager());
        this.ownTransaction.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.purges = purges;
        this.store = store;
    }

    /** Who asked for a change: the key (null for the configured admin key or the application) and its tenant filter (null: an admin). */
    public record Actor(UUID keyId, UUID tenantFilter) {
    }

    /**
     * Moves the actor's assets to the trash until {@code retention} has passed: from that moment they
     * are in no list, answer 404 to the asset API and to delivery, and are left out of downloads and
     * migrations. Returns the ids that were moved (ids of other tenants, unknown or already in the
     * trash are not).
     */
    public List<UUID> trash(Actor actor, List<UUID> ids, Duration retention) {
        return changed(transactions.execute(status -> {
            List<Changed> moved = jdbc.sql("""
                    update asset set deleted_at = now(), purge_after = now() + cast(? as interval), updated_at = now()
                    where id = any(?) and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is null
                    returning id, tenant_id""")
                    .params(retention.toSeconds() + " seconds", ids.toArray(UUID[]::new), actor.tenantFilter(), actor.tenantFilter())
                    .query(Changed::of).list();
            return record(actor, moved, "trash", "restorable for " + retention);
        }));
    }

    /** Takes one of the actor's assets out of the trash while it is still there; false when it is not. */
    public boolean restore(Actor actor, UUID id) {
        return !changed(transactions.execute(status -> record(actor, jdbc.sql("""
                update asset set deleted_at = null, purge_after = null, updated_at = now()
                where id = ? and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is not null and purge_after > now()
                returning id, tenant_id""")
                .params(id, actor.tenantFilter(), actor.tenantFilter())
                .query(Changed::of).list(),
                "restore", "")))
                .isEmpty();
    }

    /** Sets who may read one of the actor's assets: {@code public} or {@code private}; false when the actor has no such asset. */
    public boolean visibility(Actor actor, UUID id, String visibility) {
        if (!visibility.equals("public") && !visibility.equals("private")) {
            throw new IllegalArgumentException("visibility must be public or private, not '" + visibility + "'");
        }
        return !changed(transactions.execute(status -> record(actor, jdbc.sql("""
                update asset set visibility = ?, updated_at = now()
                where id = ? and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is null
                returning id, tenant_id""")
                .params(visibility, id, actor.tenantFilter(), actor.tenantFilter())
                .query(Changed::of).list(),
                "visibility", visibility)))
                .isEmpty();
    }

    /** What restoring a version did. */
    public enum VersionRestore {
        RESTORED, ALREADY_CURRENT, NO_SUCH_VERSION, NO_SUCH_ASSET
    }

    /**
     * Makes version {@code version} of one of the actor's assets current again. The version that was
     * current stays one of its versions (nothing is deleted), the change is recorded with both
     * numbers, and the asset's URLs that name "the current version" are purged.
     */
    public VersionRestore restoreVersion(Actor actor, UUID id, int version) {
        return transactions.execute(status -> {
            Optional<Integer> current = jdbc.sql("""
                    select current_version from asset where id = ? and (cast(? as uuid) is null or tenant_id = ?) and deleted_at is null
                    for update""").params(id, actor.tenantFilter(), actor.tenantFilter()).query(Integer.class).optional();
            if (current.isEmpty()) {
                return VersionRestore.NO_SUCH_ASSET;
            }
            if (current.get() == version) {
                return VersionRestore.ALREADY_CURRENT;
            }
            UUID tenant = jdbc.sql("select tenant_id from asset where id = ?").param(id).query(UUID.class).single();
            if (jdbc.sql("update asset set current_version = ?, updated_at = now() where id = ? and exists "
                    + "(select 1 from asset_version where asset_id = ? and version = ?)")
                    .params(version, id, id, version).update() == 0) {
                return VersionRestore.NO_SUCH_VERSION;
            }
            record(actor, List.of(new Changed(id, tenant)), "version-restore", "version " + version + " made current again; was " + current.get());
            return VersionRestore.RESTORED;
        });
    }

    /** Sends a change's purges once its transaction committed (in the background); the retries take what the CDN did not. */
    private List<UUID> changed(Outcome outcome) {
        purges.deliverSoon(outcome.purges());
        return outcome.ids();
    }

    /** An asset a change touched, as its {@code returning id, tenant_id} gives it. */
    private record Changed(UUID id, UUID tenantId) {
        static Changed of(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
            return new Changed(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class));
        }
    }

    private record Outcome(List<UUID> ids, List<Long> purges) {
    }

    private Outcome record(Actor actor, List<Changed> changed, String action, String detail) {
        if (changed.isEmpty()) {
            return new Outcome(List.of(), List.of());
        }
        List<String> prefixes = new ArrayList<>();
        for (Changed c : changed) {
            jdbc.sql("insert into asset_event (asset_id, tenant_id, action, detail, key_id) values (?, ?, ?, ?, ?)")
                    .params(c.id(), c.tenantId(), action, detail, actor.keyId()).update();
            prefixes.addAll(PurgeQueue.assetPrefixes(c.id()));
        }
        return new Outcome(changed.stream().map(Changed::id).toList(), purges.enqueue(prefixes, action));
    }

    // ---- purge: rows first, storage after

    /** Trashed assets whose retention has passed, of one tenant or (null) every tenant's, oldest first. */
    public List<UUID> expired(UUID tenantFilter, int limit) {
        return jdbc.sql("""
                select id from asset where deleted_at is not null and purge_after <= now() and (cast(? as uuid) is null or tenant_id = ?)
                order by purge_after, id limit ?""").params(tenantFilter, tenantFilter, limit).query(UUID.class).list();
    }

    /**
     * Removes one trashed asset's rows in the caller's transaction: it must still be in the trash and,
     * unless {@code now} (a purge the tenant asked for), past its retention. Each file a version
     * referenced loses that reference; its streams' prefixes are queued for {@link #collectStream}.
     * Returns the files that now have no reference left (candidates for {@link #collectFile}), or
     * empty when the asset was not purged.
     */
    public Optional<List<String>> purgeRows(UUID id, boolean now, UUID tenantFilter) {
        Optional<UUID> tenant = jdbc.sql("""
                select tenant_id from asset where id = ? and deleted_at is not null and (? or purge_after <= now())
                  and (cast(? as uuid) is null or tenant_id = ?) for update""")
                .params(id, now, tenantFilter, tenantFilter).query(UUID.class).optional();
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        List<String> references = jdbc.sql("""
                select original_sha256 from asset_version where asset_id = ?
                union all select sha256 from rendition where asset_id = ?""").params(id, id).query(String.class).list();
        // the asset's whole stream prefix: its versions' streams, and what an interrupted run left there without a row
        jdbc.sql("""
                insert into stream_garbage (bucket, prefix)
                select distinct bucket, 'streams/' || cast(asset_id as text) || '/' from video_stream where asset_id = ?
                on conflict do nothing""").param(id).update();
        jdbc.sql("delete from asset where id = ?").param(id).update(); // versions, renditions and streams go with it
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>(); // a stable order: two purges never lock in opposite orders
        references.forEach(sha -> counts.merge(sha, 1, Integer::sum));
        List<String> unreferenced = new ArrayList<>();
        for (var entry : counts.entrySet()) {
            Integer left = jdbc.sql("update file_ref set ref_count = greatest(ref_count - ?, 0) where sha256 = ? returning ref_count")
                    .params(entry.getValue(), entry.getKey()).query(Integer.class).optional().orElse(1);
            if (left == 0) {
                unreferenced.add(entry.getKey());
            }
        }
        jdbc.sql("insert into asset_event (asset_id, tenant_id, action, detail) values (?, ?, 'purge', ?)")
                .params(id, tenant.get(), references.size() + " file references released").update();
        return Optional.of(unreferenced);
    }

    /** Files no version references, for the purge job's collection, by content address after {@code after}. */
    public List<String> unreferenced(String after, int limit) {
        return jdbc.sql("select sha256 from file_ref where ref_count = 0 and sha256 > ? order by sha256 limit ?")
                .params(after, limit).query(String.class).list();
    }

    /**
     * Deletes one unreferenced file, in a transaction of its own: its row first, locked, and only while
     * no version or rendition references it (a file referenced again meanwhile, or held by an ingest
     * that found its bytes stored, is left alone); then its object, last, so that a failure to delete
     * it takes the row's deletion back with it. A crash after the object went and before the commit
     * leaves an unreferenced row without its object, which the next collection deletes (deleting a
     * missing object is no error). Whether it was collected.
     */
    public boolean collectFile(String sha256) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> jdbc.sql("""
                select bucket, object_key from file_ref f
                where sha256 = ? and ref_count = 0
                  and not exists (select 1 from rendition r where r.sha256 = f.sha256)
                  and not exists (select 1 from asset_version v where v.original_sha256 = f.sha256)
                for update skip locked""")
                .param(sha256).query((rs, i) -> new String[] {rs.getString("bucket"), rs.getString("object_key")}).optional()
                .map(object -> {
                    jdbc.sql("delete from file_ref where sha256 = ?").param(sha256).update();
                    store.delete(object[0], object[1]);
                    return true;
                }).orElse(false)));
    }

    /** A purged asset's stream prefix waiting for its objects' deletion. */
    public record StreamGarbage(String bucket, String prefix) {
    }

    public List<StreamGarbage> streamGarbage(int limit) {
        return jdbc.sql("select bucket, prefix from stream_garbage order by created_at, prefix limit ?").param(limit)
                .query((rs, i) -> new StreamGarbage(rs.getString("bucket"), rs.getString("prefix"))).list();
    }

    /** Deletes every object under a purged stream's prefix, then its record; how many objects went. */
    public int collectStream(StreamGarbage garbage) {
        int deleted = store.deletePrefix(garbage.bucket(), garbage.prefix());
        jdbc.sql("delete from stream_garbage where bucket = ? and prefix = ?").params(garbage.bucket(), garbage.prefix()).update();
        return deleted;
    }

    /**
     * Purges one trashed asset of the actor at once ({@code DELETE /assets/{id}?purge=true}): its rows,
     * then the files and streams only it referenced. False when the actor has no such asset in the trash.
     */
    public boolean purgeNow(Actor actor, UUID id) {
        Optional<List<String>> unreferenced = transactions.execute(status -> purgeRows(id, true, actor.tenantFilter()));
        if (unreferenced == null || unreferenced.isEmpty()) {
            return false;
        }
        unreferenced.get().forEach(this::collectFile);
        jdbc.sql("select bucket, prefix from stream_garbage where prefix like ?").param("streams/" + id + "/%")
                .query((rs, i) -> new StreamGarbage(rs.getString("bucket"), rs.getString("prefix"))).list()
                .forEach(this::collectStream);
        return true;
    }
}
