package dev.mediapipeline.core.media;

import dev.mediapipeline.core.staging.FileNames;
import dev.mediapipeline.core.staging.UploadChunk;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A COMPLETE upload as the ingest job reads it: its tenant, its declared length, the client's
 * metadata and its chunks in order.
 */
public record StagedUpload(UUID uploadId, UUID tenantId, long length, Map<String, String> metadata, List<UploadChunk> chunks) {

    public StagedUpload {
        java.util.Objects.requireNonNull(tenantId, "a staged upload belongs to a tenant");
        metadata = Map.copyOf(metadata);
        chunks = List.copyOf(chunks);
    }

    /** The client's file name made safe to show and store ({@link FileNames}); the upload's id when it sent none. */
    public String filename() {
        return FileNames.sanitize(metadata.get("filename"), uploadId.toString());
    }

    /** Short, for logs: the id, the sanitised name and the length (not every chunk). */
    @Override
    public String toString() {
        return "upload " + uploadId + " (" + filename() + ", " + length + " bytes)";
    }
}
