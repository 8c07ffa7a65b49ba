package dev.mediapipeline.core.scan;

/** The scanner answers OK to content it did not scan: no ingest may rely on it until its configuration is fixed. */
public class ScannerMisconfiguredException extends IllegalStateException {

    public ScannerMisconfiguredException(String message) {
        super(message);
    }
}
