package dev.mediapipeline.app.security;

import dev.mediapipeline.core.asset.Assets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets anyone read a public asset's renditions, poster and stream: a delivery request
 * ({@code GET}/{@code HEAD} of {@code /media/**} or {@code /streams/**}) that presents no key and no
 * signature is authenticated for the asset its path names when that asset is public and not in the
 * trash. Never an original ({@code /media/{id}/original}: it carries the uploader's metadata), and
 * only in the one spelling a cache keys on (no percent-encoding in the path, no query but
 * {@code download=1}). A request it does not authenticate goes on anonymous, and is refused (403)
 * as any other.
 */
final class PublicAssetFilter extends OncePerRequestFilter {

    /** the asset a delivery path names, and what follows it */
    private static final Pattern ASSET_PATH =
            Pattern.compile("/(media|streams)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/(.+)");

    private final Assets assets;

    PublicAssetFilter(Assets assets) {
        this.assets = assets;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RouteScopes.SIGNABLE.matches(request) || SecurityContextHolder.getContext().getAuthentication() != null
                || request.getAttribute(ApiKeyConverter.PRESENTED) != null || request.getHeader("Authorization") != null
                || request.getHeader("X-Api-Key") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher m = ASSET_PATH.matcher(path);
        // one spelling per public URL, as a shared cache keys on it: no percent-encoding, no query but download=1
        boolean canonical = path.indexOf('%') < 0 && (request.getQueryString() == null || request.getQueryString().equals("download=1"));
        if (canonical && m.matches() && !(m.group(1).equals("media") && m.group(3).equals("original"))) {
            UUID asset = UUID.fromString(m.group(2));
            if (assets.isPublic(asset)) {
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new PublicAssetAuthentication(asset));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }
}
