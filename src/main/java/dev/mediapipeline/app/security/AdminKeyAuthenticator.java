package dev.mediapipeline.app.security;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.mediapipeline.core.tenant.Tenants;
import org.springframework.security.core.AuthenticationException;

/**
 * The same rule as the web server's {@code /actuator/**} for an HTTP server of the JDK's own (a
 * worker's metrics, which runs no web server): an admin key, as {@code Authorization: Bearer <key>}
 * or {@code X-Api-Key}, checked like every key ({@link ApiKeyAuthenticationProvider}: the configured
 * admin key, else a stored one, revoked or expired keys refused). No key or a refused one: 401; a
 * key without the admin scope: 403.
 */
public final class AdminKeyAuthenticator extends Authenticator {

    private final ApiKeyAuthenticationProvider keys;

    public AdminKeyAuthenticator(Tenants tenants, AccessProperties access) {
        this.keys = new ApiKeyAuthenticationProvider(tenants, access.adminKey());
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        String key = ApiKeyConverter.key(exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("X-Api-Key"));
        if (key == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return new Failure(401);
        }
        ApiKeyAuthentication caller;
        try {
            caller = (ApiKeyAuthentication) keys.authenticate(ApiKeyAuthentication.unauthenticated(key));
        } catch (AuthenticationException e) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new Failure(401);
        }
        if (!caller.getPrincipal().isAdmin()) {
            return new Failure(403);
        }
        return new Success(new HttpPrincipal(caller.getPrincipal().tenantName(), "media"));
    }
}
