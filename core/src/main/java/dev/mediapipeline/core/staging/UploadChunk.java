package dev.mediapipeline.core.staging;

import java.util.UUID;

/** One accepted PATCH body, stored as one object in the staging bucket. */
public record UploadChunk(UUID uploadId, long startOffset, long length, byte[] sha256, String objectKey) {
}
