package dev.mediapipeline.core.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The day usage is counted in: the UTC date, wherever it is counted (the origin, the edge's log, uploads, the rollup, the API). */
public final class UsageDay {

    private UsageDay() {
    }

    public static LocalDate of(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    public static LocalDate today(Clock clock) {
        return of(clock.instant());
    }

    /** When {@code day} begins. */
    public static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
