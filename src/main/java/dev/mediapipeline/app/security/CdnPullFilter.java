package dev.mediapipeline.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the deployment's CDN fetch what it caches: with {@code media.delivery.cdn-origin-secret} set
 * (at least 32 characters), a delivery request carrying {@value #HEADER} with that secret (CloudFront
 * adds it as an origin custom header, so viewers never see it) is a {@link CdnPullAuthentication}.
 * The CDN checked the viewer first: a CloudFront signed URL of the asset API ({@code cdnUrl}) or the
 * stream's cookies. A wrong secret: 403. Without the property the header means nothing.
 */
final class CdnPullFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Origin-Secret";

    private final byte[] secret;

    CdnPullFilter(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RouteScopes.SIGNABLE.matches(request) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // compared in constant time: the time taken says nothing of how much of a guess was right
        if (!MessageDigest.isEqual(secret, request.getHeader(HEADER).getBytes(StandardCharsets.UTF_8))) {
            Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "the origin secret does not match");
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CdnPullAuthentication());
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
