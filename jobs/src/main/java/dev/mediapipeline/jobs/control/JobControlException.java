package dev.mediapipeline.jobs.control;

/** A job-control request that cannot be done, with the kind of refusal the REST API turns into a status. */
public class JobControlException extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT, BAD_REQUEST }

    private final Kind kind;

    public JobControlException(Kind kind, String message) {
        this(kind, message, null);
    }

    public JobControlException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
