package dev.mediapipeline.jobs.control;

/** A job-control request that cannot be done, with the kind of refusal the REST API turns into a status. */
public class JobControlException extends RuntimeException {

    /** BUSY: this process runs as many executions as it may; try again later */
    public enum Kind { NOT_FOUND, CONFLICT, BAD_REQUEST, BUSY }

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
