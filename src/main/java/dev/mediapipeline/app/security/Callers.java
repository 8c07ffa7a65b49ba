package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the request being handled: every controller scopes its queries by it. */
public final class Callers {

    private Callers() {
    }

    /** The authenticated caller; a route reached without one is a configuration error, never served. */
    public static Caller current() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthentication key && key.getPrincipal() != null) {
            return key.getPrincipal();
        }
        throw new IllegalStateException("no authenticated API key on this request");
    }

    /** The path a valid signed URL covers, when this request came by one (then there is no key and no caller). */
    public static java.util.Optional<String> signedPath() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof SignedUrlAuthentication signed && !signed.prefix()
                ? java.util.Optional.of(signed.path()) : java.util.Optional.empty();
    }

    /**
     * The stream version prefix ({@code /streams/<asset>/v<n>/}) a valid stream token covers, when this
     * request came by one (then there is no key and no caller).
     */
    public static java.util.Optional<String> signedPrefix() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof SignedUrlAuthentication signed && signed.prefix()
                ? java.util.Optional.of(signed.path()) : java.util.Optional.empty();
    }

    /** The public asset an anonymous request may read ({@link PublicAssetFilter}), when it came so (then there is no key and no caller). */
    public static java.util.Optional<java.util.UUID> publicAsset() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof PublicAssetAuthentication open
                ? java.util.Optional.of(open.assetId()) : java.util.Optional.empty();
    }

    /** Whether this request is the deployment's CDN fetching for its cache ({@link CdnPullFilter}): no key, no caller. */
    public static boolean cdnPull() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof CdnPullAuthentication;
    }

    /** The key's caller, when a key authenticated this request. */
    public static java.util.Optional<Caller> key() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication key && key.getPrincipal() != null
                ? java.util.Optional.of(key.getPrincipal()) : java.util.Optional.empty();
    }
}
