package dev.mediapipeline.core.staging;

/** A staging request that cannot be honoured, with the kind of problem (the HTTP layer maps it to a status). */
public class StagingException extends RuntimeException {

    public enum Problem {
        /** no such upload, or it was terminated */
        NOT_FOUND,
        /** the upload expired before its last byte arrived */
        GONE,
        /** the client's offset is not the upload's */
        OFFSET_MISMATCH,
        /** more bytes than the upload's length or the server's maximum */
        TOO_LARGE,
        /** the body's digest is not the one the client sent */
        CHECKSUM_MISMATCH,
        /** a malformed value */
        BAD_REQUEST,
        /** the server's temp area would be left with less than its minimum free space */
        INSUFFICIENT_STORAGE,
        /** the upload is frozen into an ingest that has not finished with it */
        INGESTING
    }

    private final Problem problem;

    public StagingException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
