package dev.mediapipeline.app.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A delivery request from the deployment's own CDN, fetching for its cache: it carries the origin
 * secret the CDN adds to every request it forwards ({@code X-Origin-Secret}). The CDN has checked
 * the viewer (a CloudFront signed URL or cookie) before it asks; the origin answers for any asset.
 */
public final class CdnPullAuthentication extends AbstractAuthenticationToken {

    static final String AUTHORITY = "cdn-pull";

    CdnPullAuthentication() {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return "cdn";
    }
}
