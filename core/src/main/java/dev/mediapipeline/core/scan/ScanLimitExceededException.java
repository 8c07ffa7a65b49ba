package dev.mediapipeline.core.scan;

import dev.mediapipeline.core.error.RejectedException;

/** The content is larger than the scanner accepts, so it was not scanned and cannot be passed. */
public class ScanLimitExceededException extends RejectedException {

    public ScanLimitExceededException(String message) {
        super("scan-size-limit", message);
    }
}
