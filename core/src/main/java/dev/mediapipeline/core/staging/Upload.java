package dev.mediapipeline.core.staging;

import java.time.Instant;
import java.util.UUID;

/**
 * One staged upload: the tenant it belongs to (the tenant of the key that created it), its declared
 * length, how many bytes have arrived, and the client's metadata (the raw tus Upload-Metadata value,
 * already validated).
 */
public record Upload(UUID id, UUID tenantId, long length, long offset, String metadata, UploadStatus status,
        Instant createdAt, Instant updatedAt, Instant expiresAt) {

    public boolean isExpired(Instant now) {
        return status == UploadStatus.IN_PROGRESS && expiresAt != null && !expiresAt.isAfter(now);
    }

    /** The key prefix of this upload's chunk objects in the staging bucket. */
    public static String chunkPrefix(UUID id) {
        return "uploads/" + id + "/";
    }
}
