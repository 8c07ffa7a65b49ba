package dev.mediapipeline.core.error;

/**
 * Processing one item failed in a way that is neither a service fault nor a refusal of its content:
 * a decoder or an encoder threw, ffmpeg failed, the item alone ran the heap out. Retrying at once
 * cannot help, and failing the step would fail every later run on the same item (a poison pill), so
 * the item is set aside like a rejection: recorded in the failure ledger as {@code failed:<class>},
 * its staged bytes kept for a requeue, and the job goes on.
 */
public class ItemFailedException extends RejectedException {

    private final String failureClass;

    public ItemFailedException(Throwable cause) {
        super("failed:" + cause.getClass().getSimpleName(), cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        this.failureClass = cause.getClass().getSimpleName();
    }

    /** The simple name of what was thrown, for example {@code OutOfMemoryError}. */
    public String failureClass() {
        return failureClass;
    }
}
