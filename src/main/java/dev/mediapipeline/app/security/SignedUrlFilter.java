package dev.mediapipeline.app.security;

import dev.mediapipeline.core.signing.UrlSigner;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Delivery URLs ({@code /media/**}, {@code /streams/**}) may be signed instead of carrying a key,
 * two ways. A request with {@code exp} or {@code sig} is judged by its signature alone, over its
 * exact path. A request under a stream version with a token in its path
 * ({@code /streams/<asset>/v<n>/~<exp>.<sig>/...}, as the rewritten master playlists and MPDs name
 * every child) is judged by the token, a signature over that version's prefix. Valid: it is
 * authenticated for that path or prefix. Expired or not matching: 403 with why, whatever else it carries.
 */
final class SignedUrlFilter extends OncePerRequestFilter {

    private static final java.util.regex.Pattern SPELLING = java.util.regex.Pattern.compile("exp=[1-9]\\d{0,11}&sig=[A-Za-z0-9_-]{43}(&download=1)?");
    /** A stream token's place: the segment after the asset and the version; group 1 is the prefix it signs, group 2 the token */
    private static final Pattern STREAM_TOKEN = Pattern.compile("(/streams/[^/]+/[^/]+/)~([^/]*)(?:/.*)?");

    private final UrlSigning signing;

    SignedUrlFilter(UrlSigning signing) {
        this.signing = signing;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RouteScopes.SIGNABLE.matches(request) || request.getParameter("sig") == null && request.getParameter("exp") == null
                && !STREAM_TOKEN.matcher(path(request)).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        Matcher token = STREAM_TOKEN.matcher(path);
        if (token.matches()) {
            streamToken(token.group(1), token.group(2), request, response, chain);
            return;
        }
        // one form per signed URL, read from the raw query: exp, sig, and download=1, in that order, nothing encoded, nothing
        // added that a cache would key on and the signature does not cover
        if (request.getQueryString() == null || !SPELLING.matcher(request.getQueryString()).matches()) {
            Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                    "a signed URL is exactly ?exp=<unix seconds>&sig=<signature>, optionally followed by &download=1");
            return;
        }
        UrlSigner.Verdict verdict = signing.signer().verify(path, request.getParameter("exp"), request.getParameter("sig"),
                signing.clock().instant());
        switch (verdict) {
            case VALID -> authenticated(new SignedUrlAuthentication(path, false), request, response, chain);
            case EXPIRED -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "this signed URL has expired");
            case INVALID -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "the signature does not match this URL");
        }
    }

    /**
     * A path under a stream token: the token alone decides, for the prefix it names (the asset and
     * version of this very path), and the URL has no query, so that it has one form a cache keys on.
     */
    private void streamToken(String prefix, String token, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getQueryString() != null) {
            Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "a stream URL with a token in its path takes no query");
            return;
        }
        switch (signing.signer().verifyPrefix(prefix, token, signing.clock().instant())) {
            case VALID -> authenticated(new SignedUrlAuthentication(prefix, true), request, response, chain);
            case EXPIRED -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                    "this stream token has expired: load the master playlist or MPD again for a new one");
            case INVALID -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                    "the stream token does not match this stream's asset and version");
        }
    }

    private static void authenticated(SignedUrlAuthentication authentication, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    /** The path within the application, as it was signed (a context path is not part of it) */
    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
