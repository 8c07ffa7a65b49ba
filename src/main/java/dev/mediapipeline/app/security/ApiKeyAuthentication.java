package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Caller;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request's API key: before authentication the key's text, after it the {@link Caller} it stands for. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String key;
    private final Caller caller;

    private ApiKeyAuthentication(String key, Caller caller, List<GrantedAuthority> authorities) {
        super(authorities);
        this.key = key;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    static ApiKeyAuthentication unauthenticated(String key) {
        return new ApiKeyAuthentication(key, null, List.of());
    }

    static ApiKeyAuthentication authenticated(Caller caller) {
        return new ApiKeyAuthentication(null, caller,
                caller.scopes().stream().<GrantedAuthority>map(s -> new SimpleGrantedAuthority(authority(s))).toList());
    }

    static String authority(dev.mediapipeline.core.tenant.Scope scope) {
        return "SCOPE_" + scope.id();
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public void eraseCredentials() {
        // the key's text is not kept past authentication
    }
}
