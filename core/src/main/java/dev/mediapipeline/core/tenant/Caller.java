package dev.mediapipeline.core.tenant;

import java.util.Set;
import java.util.UUID;

/**
 * Who is asking: the key (null for the configured admin key, which has no row), its tenant, its
 * effective scopes and its own rate limit (null: the configured one). Every query of tenant data is scoped by {@link #tenantFilter()}.
 */
public record Caller(UUID keyId, UUID tenantId, String tenantName, Set<Scope> scopes, KeyRateLimit rateLimit) {

    public Caller {
        scopes = Set.copyOf(Scope.effective(scopes));
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** The tenant whose data this caller sees, or null for an admin, who sees every tenant's. */
    public UUID tenantFilter() {
        return isAdmin() ? null : tenantId;
    }

    /** Whether a row of {@code owner} is visible to this caller. */
    public boolean sees(UUID owner) {
        return isAdmin() || tenantId.equals(owner);
    }
}
