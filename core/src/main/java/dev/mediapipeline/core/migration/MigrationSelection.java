package dev.mediapipeline.core.migration;

import java.time.Instant;

/**
 * Which assets a re-processing migration takes: image assets whose current version matches every
 * criterion given (null means any). With no criterion at all it takes the versions made with
 * another profile than the migration's ({@code profileHashNot}).
 *
 * @param profileHashNot  made with a profile other than this one
 * @param createdBefore   current version made before this time ("profile older than N")
 * @param createdAfter    current version made after this time
 * @param missingFormat   no rendition in this format (jpeg, png, webp)
 * @param toolsWithout    lineage's tool versions do not contain this text (for example "libwebp 1.6")
 * @param tenantId        only this tenant's assets (null: every tenant's)
 */
public record MigrationSelection(String profileHashNot, Instant createdBefore, Instant createdAfter, String missingFormat,
        String toolsWithout, java.util.UUID tenantId) {

    public boolean isEmpty() {
        return createdBefore == null && createdAfter == null && missingFormat == null && toolsWithout == null;
    }

    public MigrationSelection withProfileDefault(String profileHash) {
        return isEmpty() && profileHashNot == null
                ? new MigrationSelection(profileHash, null, null, null, null, tenantId) : this;
    }
}
