package dev.mediapipeline.app.security;

import dev.mediapipeline.core.tenant.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which scope each route needs: the one table that both authorization and the rate limits read.
 * The first rule that matches wins; a route no rule names needs {@code admin}. Public: only
 * {@code /actuator/health} and the console's static files (and error dispatches of requests already authorized).
 */
final class RouteScopes {

    record Rule(RequestMatcher matcher, Scope scope, String description) {
    }

    /** health, and the console's static page, script and style (no data: the page signs in with a key and sends it itself) */
    static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/**", "/console", "/console/console.js",
            "/console/console.css");
    /** health, by GET or HEAD (probes use either) */
    static final RequestMatcher PUBLIC_MATCHER = new org.springframework.security.web.util.matcher.OrRequestMatcher(PUBLIC.stream()
            .flatMap(p -> java.util.stream.Stream.of(HttpMethod.GET, HttpMethod.HEAD)
                    .<RequestMatcher>map(m -> PathPatternRequestMatcher.withDefaults().matcher(m, p)))
            .toList());

    /**
     * Delivery: read by a key of the asset's tenant with the read scope, or by a signed URL or a
     * stream token ({@link SignedUrlFilter}).
     */
    static final RequestMatcher SIGNABLE = new org.springframework.security.web.util.matcher.OrRequestMatcher(
            java.util.stream.Stream.of(HttpMethod.GET, HttpMethod.HEAD)
                    .flatMap(m -> java.util.stream.Stream.of("/media/**", "/streams/**", "/downloads/*/archive")
                            .<RequestMatcher>map(p -> PathPatternRequestMatcher.withDefaults().matcher(m, p)))
                    .toList());

    static final List<Rule> RULES = List.of(
            rule(HttpMethod.GET, Scope.READ, "/media/**", "/streams/**"),
            rule(HttpMethod.HEAD, Scope.READ, "/media/**", "/streams/**"),
            rule(null, Scope.UPLOAD, "/uploads", "/uploads/", "/uploads/**"),
            rule(null, Scope.READ, "/downloads", "/downloads/**"),
            // the asset API: a read key looks; changes (later) need write
            rule(HttpMethod.GET, Scope.READ, "/assets", "/assets/**"),
            rule(null, Scope.WRITE, "/assets", "/assets/**"),
            rule(null, Scope.JOBS, "/jobs", "/jobs/**", "/failures", "/failures/**"),
            // usage: a read key sees its tenant's, an admin every tenant's
            rule(HttpMethod.GET, Scope.READ, "/usage", "/usage/**"),
            // schedules are the operator's and launch over every tenant: a jobs key reads them, an admin changes them
            rule(HttpMethod.GET, Scope.JOBS, "/schedules", "/schedules/**"),
            rule(null, Scope.ADMIN, "/schedules", "/schedules/**", "/admin/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**"));

    private RouteScopes() {
    }

    /** The scope a request needs, or empty for a public route. */
    static Optional<Scope> scopeOf(HttpServletRequest request) {
        if (PUBLIC_MATCHER.matches(request)) {
            return Optional.empty();
        }
        return Optional.of(RULES.stream().filter(r -> r.matcher().matches(request)).map(Rule::scope).findFirst().orElse(Scope.ADMIN));
    }

    private static Rule rule(HttpMethod method, Scope scope, String... patterns) {
        List<RequestMatcher> matchers = java.util.Arrays.stream(patterns)
                .<RequestMatcher>map(p -> PathPatternRequestMatcher.withDefaults().matcher(method, p)).toList();
        return new Rule(new org.springframework.security.web.util.matcher.OrRequestMatcher(matchers), scope,
                (method == null ? "" : method + " ") + String.join(", ", patterns) + " -> " + scope.id());
    }
}
