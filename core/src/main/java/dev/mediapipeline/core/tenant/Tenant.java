package dev.mediapipeline.core.tenant;

import java.time.Instant;
import java.util.UUID;

public record Tenant(UUID id, String name, Instant createdAt) {

    /** The tenant of the command line, of the configured admin key and of everything made before tenants. */
    public static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    public static final String DEFAULT_NAME = "default";
}
