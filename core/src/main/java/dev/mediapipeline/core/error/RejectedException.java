package dev.mediapipeline.core.error;

/**
 * The item itself is unacceptable (invalid, infected, too large, corrupt). Retrying cannot help:
 * the item is recorded with its reason and the job goes on.
 */
public class RejectedException extends RuntimeException {

    private final String reason;

    public RejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short machine-readable reason code, for example {@code scan-size-limit}. */
    public String reason() {
        return reason;
    }
}
