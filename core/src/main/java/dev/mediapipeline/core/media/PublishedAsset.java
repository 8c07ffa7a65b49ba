package dev.mediapipeline.core.media;

import java.util.UUID;

/**
 * An asset's current version as published, to be made again: its original (content-addressed in
 * the published bucket) and the version a re-processing will create.
 */
public record PublishedAsset(UUID assetId, UUID tenantId, int fromVersion, int targetVersion, String originalSha256, long originalSize,
        String filename, String scanEngine) {
}
