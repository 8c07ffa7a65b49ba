package dev.mediapipeline.app.usage;

import dev.mediapipeline.core.usage.UsageMeter;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Adds the origin's waiting delivery counts to PostgreSQL every {@code media.usage.flush-interval} (30 s) and at shutdown. */
@Component
class UsageFlushes {

    private static final Logger LOG = LoggerFactory.getLogger(UsageFlushes.class);

    private final UsageMeter meter;

    UsageFlushes(UsageMeter meter) {
        this.meter = meter;
    }

    @Scheduled(fixedDelayString = "${media.usage.flush-interval:30s}", initialDelayString = "${media.usage.flush-interval:30s}")
    void flush() {
        try {
            meter.flush();
        } catch (RuntimeException e) {
            LOG.warn("usage: flushing {} waiting counts failed; the next flush retries them: {}", meter.waiting(), e.toString());
        }
    }

    @PreDestroy
    void atShutdown() {
        flush();
    }
}
