package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import java.util.OptionalLong;

/**
 * The tenant's upload-byte limit, taken by the tus endpoint once it knows the upload is the
 * caller's and how many bytes it can still take: a body is charged its Content-Length, or what the
 * upload still lacks when that is smaller or the length is not sent, so a request for someone
 * else's upload or a claimed length beyond the upload costs nothing.
 */
public final class UploadBandwidth {

    private final RateLimiter limiter;

    UploadBandwidth(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * @param declared the body's Content-Length, or -1
     * @param remaining what the upload still lacks
     * @throws RateLimitedException over the tenant's limit
     */
    public void take(Caller caller, long declared, long remaining) {
        if (!limiter.enabled() || remaining <= 0 || declared == 0) {
            return;
        }
        long bytes = declared < 0 ? remaining : Math.min(declared, remaining);
        OptionalLong wait = limiter.uploadBytes(caller, bytes);
        if (wait.isPresent()) {
            throw new RateLimitedException(wait.getAsLong(), "over the upload bandwidth of this tenant: retry after "
                    + wait.getAsLong() + " s");
        }
    }

    /** Over a limit: answer 429 with Retry-After (seconds). */
    public static final class RateLimitedException extends RuntimeException {
        private final long retryAfterSeconds;

        RateLimitedException(long retryAfterSeconds, String message) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
