package dev.mediapipeline.core.tenant;

import java.time.Duration;

/** A key's own request limit: {@code requests} per {@code period}, at most {@code burst} at once. */
public record KeyRateLimit(long requests, Duration period, long burst) {

    public KeyRateLimit {
        if (requests < 1 || burst < 1 || period == null || period.isNegative() || period.isZero() || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("a rate limit needs requests >= 1, burst >= 1 and a period of up to a day");
        }
    }
}
