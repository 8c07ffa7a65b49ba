package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.core.tenant.Scope;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Token buckets per key and per tenant, kept by bucket4j's PostgreSQL proxy manager in
 * {@code rate_limit_bucket}, so that every instance on the database draws from the same buckets.
 * A bucket's id carries its rate, so a changed configuration starts a fresh bucket.
 */
final class RateLimiter {

    private final ProxyManager<String> buckets;
    private final AccessProperties.RateLimits limits;

    RateLimiter(ProxyManager<String> buckets, AccessProperties.RateLimits limits) {
        this.buckets = buckets;
        this.limits = limits;
    }

    boolean enabled() {
        return limits.enabled();
    }

    /**
     * Takes one request of {@code scope} from the caller's key and tenant buckets.
     *
     * @return empty when allowed, else the seconds to wait
     */
    OptionalLong request(Caller caller, Scope scope) {
        String keyId = caller.keyId() == null ? "configured-admin" : caller.keyId().toString();
        var keyRate = caller.rateLimit(); // a key's own limit replaces the configured per-key one for every scope
        if (keyRate != null) {
            OptionalLong wait = take("key:" + keyId + ":" + keyRate.requests() + "/" + keyRate.period().toMillis() + "ms:" + keyRate.burst(),
                    keyRate.requests(), keyRate.period(), keyRate.burst(), 1);
            if (wait.isPresent()) {
                return wait;
            }
        } else if (limits.key(scope) != null) {
            AccessProperties.Rate rate = limits.key(scope);
            OptionalLong wait = take("key:" + keyId + ":" + scope.id() + ":" + rate.perSecond() + "/s:" + rate.burst(),
                    rate.perSecond(), Duration.ofSeconds(1), rate.burst(), 1);
            if (wait.isPresent()) {
                return wait;
            }
        }
        AccessProperties.Rate rate = limits.tenant(scope);
        if (rate == null) {
            return OptionalLong.empty();
        }
        return take("tenant:" + caller.tenantId() + ":" + scope.id() + ":" + rate.perSecond() + "/s:" + rate.burst(),
                rate.perSecond(), Duration.ofSeconds(1), rate.burst(), 1);
    }

    /**
     * Takes an upload body's bytes from the tenant's byte bucket, counted in KiB (bucket4j refills at
     * most one token a nanosecond). A body larger than the bucket is let through when the bucket is
     * full and leaves it in debt, so the average rate holds for any chunk size and the next body waits.
     */
    OptionalLong uploadBytes(Caller caller, long bytes) {
        long perSecond = Math.max(1, limits.uploadBytes().perSecond().toKilobytes());
        long burst = Math.max(1, limits.uploadBytes().burst().toKilobytes());
        long kib = Math.max(1, (bytes + 1023) / 1024);
        String id = "tenant:" + caller.tenantId() + ":upload-kib:" + perSecond + "/s:" + burst;
        long first = Math.min(kib, burst);
        io.github.bucket4j.distributed.BucketProxy bucket = bucket(id, perSecond, Duration.ofSeconds(1), burst);
        OptionalLong wait = take(bucket, first);
        if (wait.isEmpty() && kib > first) {
            bucket.consumeIgnoringRateLimits(kib - first);
        }
        return wait;
    }

    private OptionalLong take(String id, long tokens, Duration period, long burst, long amount) {
        return take(bucket(id, tokens, period, burst), amount);
    }

    private io.github.bucket4j.distributed.BucketProxy bucket(String id, long tokens, Duration period, long burst) {
        return buckets.builder().build(id, () -> configuration(tokens, period, burst));
    }

    private static OptionalLong take(io.github.bucket4j.distributed.BucketProxy bucket, long amount) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }

    private static BucketConfiguration configuration(long tokens, Duration period, long burst) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(tokens, period))
                .build();
    }
}
