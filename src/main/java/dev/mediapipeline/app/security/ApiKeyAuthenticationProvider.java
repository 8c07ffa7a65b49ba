package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.core.tenant.Scope;
import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import java.security.MessageDigest;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Checks a request's API key: the configured admin key (compared by its SHA-256 in constant time),
 * else a stored key (see {@link Tenants#authenticate}). Nothing is cached, so a revoked or expired
 * key is refused at its next request.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final Tenants tenants;
    private final byte[] configuredAdminKeyHash;

    ApiKeyAuthenticationProvider(Tenants tenants, String configuredAdminKey) {
        this.tenants = tenants;
        this.configuredAdminKeyHash = configuredAdminKey == null ? null : Tenants.hash(configuredAdminKey);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String key = (String) authentication.getCredentials();
        if (configuredAdminKeyHash != null && MessageDigest.isEqual(configuredAdminKeyHash, Tenants.hash(key))) {
            return ApiKeyAuthentication.authenticated(new Caller(null, Tenant.DEFAULT_ID, Tenant.DEFAULT_NAME, Set.of(Scope.ADMIN), null));
        }
        try {
            return ApiKeyAuthentication.authenticated(tenants.authenticate(key));
        } catch (Tenants.KeyRefusedException e) {
            throw new BadCredentialsException(e.getMessage());
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
