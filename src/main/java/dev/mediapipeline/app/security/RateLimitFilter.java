package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.core.tenant.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After authorization: one request from the key's and the tenant's buckets for the route's scope.
 * Over a limit: 429 with {@code Retry-After}
 * (seconds) and a problem; tus clients retry on it.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;

    RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * Preflights are answered before any key; a tus HEAD is the resume probe, which tus-js-client
     * takes any 4xx of as "the upload is gone" and starts over: a 429 there would turn a slowdown
     * into a restart from zero, so HEAD draws from no bucket (the PATCH after it does).
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !limiter.enabled() || "OPTIONS".equals(request.getMethod())
                || "HEAD".equals(request.getMethod()) && request.getRequestURI().startsWith("/uploads/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Scope> scope = RouteScopes.scopeOf(request);
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        if (scope.isEmpty() || !(authentication instanceof ApiKeyAuthentication key) || key.getPrincipal() == null) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = key.getPrincipal();
        // a tus body's bytes are charged by the endpoint (UploadBandwidth), once it knows the upload is the caller's
        OptionalLong wait = limiter.request(caller, scope.get());
        if (wait.isPresent()) {
            response.setHeader("Retry-After", Long.toString(wait.getAsLong()));
            Problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "over the " + scope.get().id() + " rate limit of this key or its tenant: retry after " + wait.getAsLong() + " s");
            return;
        }
        chain.doFilter(request, response);
    }
}
