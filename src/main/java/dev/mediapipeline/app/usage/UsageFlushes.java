package dev.mediapipeline.app.usage;

import dev.mediapipeline.core.usage.UsageDay;
import dev.mediapipeline.core.usage.UsageMeter;
import dev.mediapipeline.core.usage.UsageRollup;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The usage statistics' work in the background: the origin's waiting delivery counts added to
 * PostgreSQL every {@code media.usage.flush-interval} (30 s) and at shutdown, and a storage sample every
 * {@code media.usage.storage-interval} (1 h; each day keeps its highest). At start it refuses an edge
 * set up by halves: an edge log without the edge's secret would count the edge's fetches twice, a
 * secret without the log would count the edge's deliveries nowhere.
 */
@Component
class UsageFlushes {

    private static final Logger LOG = LoggerFactory.getLogger(UsageFlushes.class);

    private final UsageMeter meter;
    private final UsageRollup rollup;
    private final Clock clock;

    UsageFlushes(UsageMeter meter, UsageRollup rollup, Clock clock, @Value("${media.usage.edge-log:}") String edgeLog,
            @Value("${media.usage.edge-secret:}") String edgeSecret) {
        if (edgeLog.isBlank() != edgeSecret.isBlank()) {
            throw new IllegalStateException("media.usage.edge-log and media.usage.edge-secret are set together or not at all (the edge's "
                    + "access log counts what reached clients; the secret marks the edge's own fetches, so that the origin does not count "
                    + "them again): " + (edgeLog.isBlank() ? "edge-log" : "edge-secret") + " is missing");
        }
        this.meter = meter;
        this.rollup = rollup;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${media.usage.flush-interval:30s}", initialDelayString = "${media.usage.flush-interval:30s}")
    void flush() {
        try {
            meter.flush();
        } catch (RuntimeException e) {
            LOG.warn("usage: flushing {} waiting counts failed; the next flush retries them: {}", meter.waiting(), e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${media.usage.storage-interval:1h}", initialDelayString = "${media.usage.storage-interval:1h}")
    void sampleStorage() {
        try {
            rollup.snapshotStorage(UsageDay.today(clock));
        } catch (RuntimeException e) {
            LOG.warn("usage: the storage sample failed; the next one is in media.usage.storage-interval: {}", e.toString());
        }
    }

    @PreDestroy
    void atShutdown() {
        flush();
    }
}
