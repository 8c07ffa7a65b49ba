package dev.mediapipeline.app.upload;

import dev.mediapipeline.core.staging.StagingService;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Removes uploads that expired unfinished, their chunk objects included, on a fixed delay. */
@Component
class UploadExpiryCleanup {

    private final StagingService staging;

    UploadExpiryCleanup(StagingService staging) {
        this.staging = staging;
    }

    @Scheduled(fixedDelayString = "${media.staging.cleanup-interval:15m}", initialDelayString = "${media.staging.cleanup-interval:15m}")
    void removeExpired() {
        staging.removeExpired();
    }
}
