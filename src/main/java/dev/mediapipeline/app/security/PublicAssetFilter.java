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
 * trash. Never an original ({@code /media/{id}/original}: it carries the uploader's metadata). A
 * request it does not authenticate goes on anonymous, and is refused (403) as any other.
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
        Matcher m = ASSET_PATH.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (m.matches() && !(m.group(1).equals("media") && m.group(3).equals("original"))) {
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
