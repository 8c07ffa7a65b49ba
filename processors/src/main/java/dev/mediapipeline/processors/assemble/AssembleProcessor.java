package dev.mediapipeline.processors.assemble;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.staging.UploadChunk;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Streams an upload's chunks from the staging bucket into one temp file, verifying every chunk
 * against the sha256 recorded when it arrived, and the whole file against the client's
 * {@code sha256} metadata (hex) when the client sent one. Nothing is held in memory.
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
        long copied = 0;
        try (InputStream in = store.get(stagingBucket, chunk.objectKey()).orElseThrow(() ->
                new RejectedException("chunk-missing", "chunk object " + chunk.objectKey() + " is not in the staging bucket"))) {
            byte[] buffer = new byte[128 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                part.update(buffer, 0, n);
                whole.update(buffer, 0, n);
                out.write(buffer, 0, n);
                copied += n;
            }
        }
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
