package dev.mediapipeline.processors.assemble;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Streams an upload's chunks from the staging bucket into one temp file, verifying every chunk
 * against the sha256 recorded when it arrived, and the whole file against the client's
 * {@code sha256} metadata (hex) when the client sent one. Nothing is held in memory.
 *
 * <p>A chunk that cannot be read whole from the bucket (the connection reset half way, S3 failing)
 * is a {@link dev.mediapipeline.core.error.TransientException}, retried, never the upload's fault
 * ({@link ObjectStore#copyTo}); the local disk failing under the temp file is an {@link IOException},
 * the item's failure as before; a chunk the bucket serves whole but wrong (size, sha256) is refused.
 */
public class AssembleProcessor implements ItemProcessor<StagedUpload, AssembledFile> {

    private final ObjectStore store;
    private final String stagingBucket;
    private final Path tempDirectory;

    public AssembleProcessor(ObjectStore store, String stagingBucket, Path tempDirectory) {
        this.store = store;
        this.stagingBucket = stagingBucket;
        this.tempDirectory = tempDirectory;
    }

    @Override
    public AssembledFile process(StagedUpload upload) throws IOException {
        Path file = Workspace.of(tempDirectory, upload.uploadId()).resolve("original");
        try {
            MessageDigest whole = Sha256.newDigest();
            long offset = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                for (UploadChunk chunk : upload.chunks()) {
                    if (chunk.startOffset() != offset) {
                        throw new RejectedException("chunks-not-contiguous", "chunk at " + chunk.startOffset() + " does not follow offset " + offset);
                    }
                    offset += copyVerified(chunk, out, whole);
                }
            }
            if (offset != upload.length()) {
                throw new RejectedException("incomplete", "chunks hold " + offset + " of " + upload.length() + " bytes");
            }
            String sha256 = Sha256.hex(whole.digest());
            String claimed = upload.metadata().get("sha256");
            if (claimed != null && !claimed.equalsIgnoreCase(sha256)) {
                throw new RejectedException("checksum-mismatch", "the file's sha256 " + sha256 + " is not the client's " + claimed);
            }
            return new AssembledFile(upload, file, offset, sha256);
        } catch (RuntimeException | IOException e) {
            Workspace.delete(tempDirectory, upload.uploadId());
            throw e;
        }
    }

    private long copyVerified(UploadChunk chunk, OutputStream out, MessageDigest whole) throws IOException {
        MessageDigest part = Sha256.newDigest();
        // both digests see exactly the bytes written; the wrappers buffer nothing and are not closed (out stays open)
        OutputStream digesting = new DigestOutputStream(new DigestOutputStream(out, whole), part);
        long copied = store.copyTo(stagingBucket, chunk.objectKey(), digesting).orElseThrow(() ->
                new RejectedException("chunk-missing", "chunk object " + chunk.objectKey() + " is not in the staging bucket"));
        if (copied != chunk.length()) {
            throw new RejectedException("chunk-size-mismatch", "chunk at " + chunk.startOffset() + " holds " + copied
                    + " bytes, " + chunk.length() + " were recorded");
        }
        if (!MessageDigest.isEqual(part.digest(), chunk.sha256())) {
            throw new RejectedException("checksum-mismatch", "chunk at " + chunk.startOffset() + " does not match its recorded sha256");
        }
        return copied;
    }
}
