package dev.mediapipeline.app.security;

import dev.mediapipeline.core.staging.StagingProperties;
import dev.mediapipeline.core.tenant.Scope;
import dev.mediapipeline.core.tenant.Tenants;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import jakarta.servlet.DispatcherType;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Every route needs an API key ({@code Authorization: Bearer mp_...} or {@code X-Api-Key}) with the
 * scope {@link RouteScopes} names, but {@code /actuator/health}. No key: 401 with
 * {@code WWW-Authenticate: Bearer}; a key without the scope: 403; both as problem details. No
 * sessions, no cookies, so no CSRF: every request carries its key.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    /** tus and the browser: what a tus client must be allowed to read from the responses */
    static final List<String> TUS_EXPOSED = List.of("Location", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires",
            "Tus-Resumable", "Tus-Version", "Tus-Max-Size", "Tus-Extension", "Tus-Checksum-Algorithm", "Retry-After");

    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(Tenants tenants, AccessProperties access) {
        return new ApiKeyAuthenticationProvider(tenants, access.adminKey());
    }

    @Bean
    RateLimiter rateLimiter(DataSource dataSource, AccessProperties access) {
        var buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket").idColumn("id").stateColumn("state")
                .build();
        return new RateLimiter(buckets, access.rateLimits());
    }

    @Bean
    UploadBandwidth uploadBandwidth(RateLimiter rateLimiter) {
        return new UploadBandwidth(rateLimiter);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeyAuthenticationProvider provider, RateLimiter rateLimiter,
            StagingProperties staging, UrlSigning signing, dev.mediapipeline.core.asset.Assets assets,
            @org.springframework.beans.factory.annotation.Value("${media.delivery.cors-allowed-origins:}") List<String> deliveryOrigins,
            @org.springframework.beans.factory.annotation.Value("${media.delivery.cdn-origin-secret:}") String cdnOriginSecret)
            throws Exception {
        if (!cdnOriginSecret.isEmpty() && cdnOriginSecret.length() < 32) {
            throw new IllegalStateException("media.delivery.cdn-origin-secret must have at least 32 characters");
        }
        AuthenticationEntryPoint entryPoint = (request, response, e) -> {
            if (request.getAttribute(ApiKeyConverter.PRESENTED) == null && RouteScopes.SIGNABLE.matches(request)) {
                // delivery without a key: what is not public needs a signed URL (or a key), as S3 and CDNs answer it
                Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                        "not public: use a signed URL, or an API key of the asset's tenant");
                return;
            }
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, request.getAttribute(ApiKeyConverter.PRESENTED) != null
                    ? "Bearer realm=\"media-pipeline\", error=\"invalid_token\"" : "Bearer realm=\"media-pipeline\"");
            Problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    request.getAttribute(ApiKeyConverter.PRESENTED) != null ? e.getMessage()
                            : "an API key is required: Authorization: Bearer <key> (or X-Api-Key: <key>)");
        };
        AccessDeniedHandler denied = (request, response, e) -> Problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                "this key's scopes do not include " + RouteScopes.scopeOf(request).map(Scope::id).orElse("this route"));
        AuthenticationFilter apiKeys = new AuthenticationFilter(new ProviderManager(provider), new ApiKeyConverter());
        apiKeys.setSuccessHandler((request, response, authentication) -> {
            // go on with the request: an API is never redirected after authentication
        });
        apiKeys.setFailureHandler((request, response, e) -> entryPoint.commence(request, response, e));

        if (!cdnOriginSecret.isEmpty()) {
            http.addFilterBefore(new CdnPullFilter(cdnOriginSecret), BasicAuthenticationFilter.class);
        }
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> cors.configurationSource(cors(staging, deliveryOrigins)))
                .addFilterBefore(new SignedUrlFilter(signing), BasicAuthenticationFilter.class)
                .addFilterBefore(apiKeys, BasicAuthenticationFilter.class)
                .addFilterBefore(new PublicAssetFilter(assets), BasicAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(rateLimiter), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .authorizeHttpRequests(authorize -> {
                    authorize.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    authorize.requestMatchers(RouteScopes.PUBLIC_MATCHER).permitAll();
                    authorize.requestMatchers(RouteScopes.SIGNABLE).hasAnyAuthority(ApiKeyAuthentication.authority(Scope.READ),
                            SignedUrlAuthentication.AUTHORITY, PublicAssetAuthentication.AUTHORITY, CdnPullAuthentication.AUTHORITY);
                    for (RouteScopes.Rule rule : RouteScopes.RULES) {
                        authorize.requestMatchers(rule.matcher()).hasAuthority(ApiKeyAuthentication.authority(rule.scope()));
                    }
                    authorize.anyRequest().hasAuthority(ApiKeyAuthentication.authority(Scope.ADMIN));
                });
        return http.build();
    }

    /** Delivery and the browser: what a player on another origin must be allowed to read from a response */
    static final List<String> DELIVERY_EXPOSED = List.of("Content-Range", "Content-Length", "ETag", "Accept-Ranges", "Content-Disposition");

    /**
     * Browsers may call the tus endpoint from the configured origins ({@code media.staging.cors-allowed-origins})
     * with the key in a header: a preflight is answered before authentication, and names the
     * requested headers (Authorization included) rather than a wildcard, which does not cover it.
     * Delivery ({@code /media}, {@code /streams}) may be read from {@code media.delivery.cors-allowed-origins}
     * (origins or patterns such as {@code https://*.example.com}; {@code *} for any), so that a
     * player on the customer's own site plays from the media origin: GET and HEAD with {@code Range}
     * and the validators, {@code Content-Range}, {@code Content-Length}, {@code ETag} and
     * {@code Accept-Ranges} readable. Never with credentials: signed URLs and keys are not cookies.
     */
    private static CorsConfigurationSource cors(StagingProperties staging, List<String> deliveryOrigins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = deliveryOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (!origins.isEmpty()) {
            CorsConfiguration delivery = new CorsConfiguration();
            delivery.setAllowedOriginPatterns(origins);
            delivery.setAllowedMethods(List.of("GET", "HEAD", "OPTIONS"));
            delivery.setAllowedHeaders(List.of("Range", "If-Range", "If-None-Match", "If-Modified-Since", "Authorization", "X-Api-Key"));
            delivery.setExposedHeaders(DELIVERY_EXPOSED);
            delivery.setAllowCredentials(false);
            delivery.setMaxAge(86400L);
            source.registerCorsConfiguration("/media/**", delivery);
            source.registerCorsConfiguration("/streams/**", delivery);
        }
        if (staging.corsAllowedOrigins().isEmpty()) {
            return source;
        }
        CorsConfiguration tus = new CorsConfiguration();
        tus.setAllowedOrigins(staging.corsAllowedOrigins());
        tus.setAllowedMethods(List.of("POST", "HEAD", "PATCH", "DELETE", "OPTIONS"));
        tus.setAllowedHeaders(List.of("*"));
        tus.setExposedHeaders(TUS_EXPOSED);
        tus.setMaxAge(86400L);
        source.registerCorsConfiguration("/uploads", tus);
        source.registerCorsConfiguration("/uploads/", tus);
        source.registerCorsConfiguration("/uploads/**", tus);
        return source;
    }
}
