package dev.mediapipeline.core.storage;

import dev.mediapipeline.core.error.TransientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.http.Abortable;

/**
 * The copy loop of {@link ObjectStore#copyTo}: reads and writes are kept apart so that a failure of
 * the object's stream (the network, the store) becomes a {@link TransientException} while a failure
 * of the destination (the local disk) stays what it is.
 */
final class ObjectCopy {

    static final int BUFFER = 128 * 1024;

    private ObjectCopy() {
    }

    /** Copies {@code in} to its end into {@code out}, closes {@code in} (not {@code out}), returns the byte count. */
    static long copy(InputStream in, OutputStream out, String what) throws IOException {
        long copied = 0;
        boolean complete = false;
        try {
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n = read(in, buffer, what, copied);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n); // the destination's IOException passes as it is
                copied += n;
            }
            complete = true;
        } finally {
            try {
                if (!complete && in instanceof Abortable abortable) {
                    // closing an SDK stream part-read drains the rest of the body to reuse the connection
                    abortable.abort();
                }
                in.close();
            } catch (IOException | RuntimeException e) {
                // every byte arrived: a stream that fails to close has nothing left to give. Otherwise the
                // failure already on its way up is the one that matters
                if (complete) {
                    org.slf4j.LoggerFactory.getLogger(ObjectCopy.class).debug("closing {}, read to its end, failed", what, e);
                }
            }
        }
        return copied;
    }

    private static int read(InputStream in, byte[] buffer, String what, long copied) throws IOException {
        try {
            return in.read(buffer);
        } catch (TransientException e) {
            throw e;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // the thread is being stopped (a shutdown): not the store's fault, and not to be retried
            }
            throw new TransientException("reading " + what + " failed after " + copied + " bytes: " + e, e);
        } catch (RuntimeException e) {
            throw new TransientException("reading " + what + " failed after " + copied + " bytes: " + e, e);
        }
    }
}
