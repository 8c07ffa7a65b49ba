package dev.mediapipeline.app.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A delivery request whose signature is valid: no key, no tenant. Either a signed URL
 * ({@code ?exp=&sig=}), valid for exactly its path, or a stream token ({@code /~<exp>.<sig>/} in the
 * path), valid for every path under the stream version's prefix it signs.
 */
public final class SignedUrlAuthentication extends AbstractAuthenticationToken {

    static final String AUTHORITY = "signed-url";

    private final String path;
    private final boolean prefix;

    SignedUrlAuthentication(String path, boolean prefix) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.path = path;
        this.prefix = prefix;
        setAuthenticated(true);
    }

    /** The path the signature covers: the request's own, or for a stream token the prefix it signs (ending in {@code /}). */
    public String path() {
        return path;
    }

    /** Whether the signature covers every path under {@link #path()} (a stream token) rather than exactly that path. */
    public boolean prefix() {
        return prefix;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return path;
    }
}
