package dev.mediapipeline.core.cdn;

/**
 * A purge the CDN did not acknowledge. Retryable when the fault is passing (the CDN unreachable or
 * slow, a 5xx, a rate limit, too many invalidations in progress): the purge is kept and sent again.
 * Not retryable when the request itself is refused (bad credentials, an unknown zone or distribution,
 * an edge that does not let this host purge): sending it again would fail alike until the
 * configuration is mended.
 */
public class PurgeException extends Exception {

    private final boolean retryable;

    public PurgeException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public PurgeException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether sending the same purge again later can succeed. */
    public boolean retryable() {
        return retryable;
    }
}
