package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.cdn.PurgeQueue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the CDN purges that are due, every {@code media.cdn.retry-interval} (15 s): the trailing
 * purge of each change and the retries of those a CDN did not acknowledge. Several servers on one
 * database share the work (a record is leased to the one that claims it). The {@code cdnPurge} job
 * does the same on demand, and the nightly {@code purgeAssets} runs it as its last step.
 */
@Component
@ConditionalOnWebApplication
class CdnPurgeRetries {

    /** at most this many records a round: a large backlog is spread over several */
    static final int ROUND = 200;

    private final PurgeQueue purges;

    CdnPurgeRetries(PurgeQueue purges) {
        this.purges = purges;
    }

    @Scheduled(fixedDelayString = "${media.cdn.retry-interval:15s}", initialDelayString = "${media.cdn.retry-interval:15s}")
    void sendDue() {
        if (purges.active()) {
            purges.deliverDue(ROUND);
        }
    }
}
