package dev.mediapipeline.app.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A delivery request whose signature ({@code ?exp=&sig=}) is valid for exactly its path: no key, no tenant. */
public final class SignedUrlAuthentication extends AbstractAuthenticationToken {

    static final String AUTHORITY = "signed-url";

    private final String path;

    SignedUrlAuthentication(String path) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.path = path;
        setAuthenticated(true);
    }

    /** The path the signature covers. */
    public String path() {
        return path;
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
