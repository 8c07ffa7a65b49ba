package dev.mediapipeline.core.error;

/**
 * A service the pipeline depends on (S3, clamd, the database) failed or did not answer. The item is
 * not at fault: the work is retried with backoff, and is never treated as done or clean.
 */
public class TransientException extends RuntimeException {

    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
