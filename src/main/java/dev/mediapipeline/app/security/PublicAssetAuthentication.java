package dev.mediapipeline.app.security;

import java.util.List;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An anonymous delivery request for a public asset's rendition, poster or stream: no key, no
 * signature, no tenant; good for that one asset only, and never for its original.
 */
public final class PublicAssetAuthentication extends AbstractAuthenticationToken {

    static final String AUTHORITY = "public-asset";

    private final UUID assetId;

    PublicAssetAuthentication(UUID assetId) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.assetId = assetId;
        setAuthenticated(true);
    }

    public UUID assetId() {
        return assetId;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return assetId;
    }
}
