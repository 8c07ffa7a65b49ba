package dev.mediapipeline.core.tenant;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** An API key as stored: never its secret, only the prefix it is found by. */
public record ApiKey(UUID id, UUID tenantId, String prefix, Set<Scope> scopes, String name, Instant createdAt,
        Instant expiresAt, Instant revokedAt, Instant lastUsedAt, KeyRateLimit rateLimit) {

    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
