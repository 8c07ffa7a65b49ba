package dev.mediapipeline.app.security;

import dev.mediapipeline.core.signing.UrlSigner;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Delivery URLs ({@code /media/**}) may be signed instead of carrying a key: a request with
 * {@code exp} or {@code sig} is judged by its signature alone, over its exact path. Valid: it is
 * authenticated for that path. Expired or not matching: 403 with why, whatever else it carries.
 */
final class SignedUrlFilter extends OncePerRequestFilter {

    private static final java.util.Set<String> ALLOWED = java.util.Set.of("exp", "sig", "download");

    private final UrlSigning signing;

    SignedUrlFilter(UrlSigning signing) {
        this.signing = signing;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RouteScopes.SIGNABLE.matches(request) || request.getParameter("sig") == null && request.getParameter("exp") == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the path within the application, as the asset API signed it (a context path is not part of it)
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String name : request.getParameterMap().keySet()) {
            if (!ALLOWED.contains(name) || request.getParameterValues(name).length != 1) {
                // one form per signed URL: nothing added that a cache would key on and the signature does not cover
                Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "a signed URL takes exp, sig and download=1 only, once each");
                return;
            }
        }
        UrlSigner.Verdict verdict = signing.signer().verify(path, request.getParameter("exp"), request.getParameter("sig"),
                signing.clock().instant());
        switch (verdict) {
            case VALID -> {
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new SignedUrlAuthentication(path));
                SecurityContextHolder.setContext(context);
                chain.doFilter(request, response);
            }
            case EXPIRED -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "this signed URL has expired");
            case INVALID -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "the signature does not match this URL");
        }
    }
}
