package dev.mediapipeline.app.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * The key a request presents: {@code Authorization: Bearer <key>}, or {@code X-Api-Key: <key>}
 * (for clients that cannot set Authorization). None: the request goes on anonymous, and a route
 * that needs a key answers 401.
 */
final class ApiKeyConverter implements AuthenticationConverter {

    /** set on a request that presented a key, so that a refusal says why the key was not accepted */
    static final String PRESENTED = ApiKeyConverter.class.getName() + ".presented";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String key = key(request.getHeader("Authorization"), request.getHeader("X-Api-Key"));
        if (key == null) {
            return null;
        }
        request.setAttribute(PRESENTED, Boolean.TRUE);
        return ApiKeyAuthentication.unauthenticated(key);
    }

    /** The key of these two headers' values (either may be null): a Bearer token first, else X-Api-Key; null when neither has one. */
    static String key(String authorization, String xApiKey) {
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        } else if (xApiKey != null) {
            key = xApiKey.strip();
        }
        return key == null || key.isEmpty() ? null : key;
    }
}
