package dev.mediapipeline.core.cdn;

import java.util.List;

/**
 * The CDN purge port: makes an edge forget URLs, so that the next request for them goes to the
 * origin and gets what it serves now (after a delete, a restore, a change of visibility). Adapters:
 * {@link VarnishPurger} (the edge of the tests and {@code ./media serve --edge}), {@link CloudFrontPurger}
 * and {@link CloudflarePurger}.
 *
 * <p>Paths are as clients request them from the edge: they begin with {@code /}, may carry a query
 * ({@code ?exp=...&sig=...}) and are percent-encoded by the adapter where they are not already (see
 * {@link PurgeBatch}). A purge is idempotent, so a failed one is simply sent again: the job that
 * records purges retries them until one succeeds, with the same {@link PurgeBatch#id()} each time.
 */
public interface Purger {

    /** A short name for logs and purge records: {@code varnish}, {@code cloudfront}, {@code cloudflare}. */
    String name();

    /**
     * Purges every path and every prefix of the batch. An adapter that creates something per call
     * at the CDN (a CloudFront invalidation) derives its idempotency token from the batch id, so a
     * retry of the same batch creates nothing twice.
     *
     * @throws PurgeException when the CDN did not acknowledge all of it; {@link PurgeException#retryable()}
     *                        says whether sending the batch again can help
     */
    void purge(PurgeBatch batch) throws PurgeException;

    /** Purges these exact paths (each beginning with {@code /}, query included when given), as a batch of its own. */
    default void purge(List<String> paths) throws PurgeException {
        purge(PurgeBatch.of(paths, List.of()));
    }

    /** Purges every URL whose path begins with {@code prefix}, as a batch of its own. */
    default void purgePrefix(String prefix) throws PurgeException {
        purge(PurgeBatch.of(List.of(), List.of(prefix)));
    }
}
