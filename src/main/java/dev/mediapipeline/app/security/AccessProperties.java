package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Scope;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Access control ({@code media.security}).
 *
 * @param adminKey   an admin key given by configuration ({@code MEDIA_ADMIN_KEY}); at least 32 characters.
 *                   When empty, the first start makes one and writes it to {@code <media.home>/admin.key}
 * @param rateLimits request and upload-byte limits, shared by every instance on the database
 */
@Validated
@ConfigurationProperties("media.security")
public record AccessProperties(String adminKey, @NotNull @DefaultValue RateLimits rateLimits) {

    public AccessProperties {
        if (adminKey != null && adminKey.isBlank()) {
            adminKey = null;
        }
        if (adminKey != null && adminKey.length() < 32) {
            throw new IllegalArgumentException("media.security.admin-key must be at least 32 characters");
        }
    }

    /**
     * @param enabled     off only for a trusted network
     * @param key         requests per second per key, by the scope the route needs
     * @param tenant      requests per second per tenant (all its keys), by scope
     * @param uploadBytes tus PATCH body bytes per second per tenant
     */
    public record RateLimits(@DefaultValue("true") boolean enabled, Map<Scope, Rate> key, Map<Scope, Rate> tenant,
            @NotNull @DefaultValue ByteRate uploadBytes) {

        public RateLimits {
            key = key == null ? Map.of() : Map.copyOf(key);
            tenant = tenant == null ? Map.of() : Map.copyOf(tenant);
        }

        /** The key's limit for a scope; a scope left out of the configuration is not limited. */
        public Rate key(Scope scope) {
            return key.get(scope);
        }

        public Rate tenant(Scope scope) {
            return tenant.get(scope);
        }
    }

    /** A token bucket: refilled at {@code perSecond}, holding at most {@code burst}. */
    public record Rate(@Min(1) long perSecond, @Min(1) long burst) {
    }

    public record ByteRate(@DefaultValue("2GB") @NotNull DataSize perSecond, @DefaultValue("8GB") @NotNull DataSize burst) {
    }
}
