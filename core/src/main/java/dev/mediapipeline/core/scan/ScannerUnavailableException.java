package dev.mediapipeline.core.scan;

import dev.mediapipeline.core.error.TransientException;

/** The scanner could not be reached, timed out or gave no verdict: never a clean result. */
public class ScannerUnavailableException extends TransientException {

    public ScannerUnavailableException(String message) {
        super(message);
    }

    public ScannerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
