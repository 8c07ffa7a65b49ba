package dev.mediapipeline.app.admin;

import dev.mediapipeline.core.tenant.ApiKey;
import dev.mediapipeline.core.tenant.KeyRateLimit;
import dev.mediapipeline.core.tenant.Scope;
import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import dev.mediapipeline.jobs.control.JobControlException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tenants and their API keys; admin keys only. A key's secret is in the creation's answer and nowhere else. */
@RestController
@RequestMapping("/admin")
@Tag(name = "admin", description = "Tenants and API keys (admin scope)")
class AdminController {

    private final Tenants tenants;

    AdminController(Tenants tenants) {
        this.tenants = tenants;
    }

    record TenantRequest(String name) {
    }

    record TenantView(UUID id, String name, Instant createdAt) {
        static TenantView of(Tenant t) {
            return new TenantView(t.id(), t.name(), t.createdAt());
        }
    }

    /** {@code requests} per {@code period} (ISO-8601, such as PT1S), {@code burst} at once */
    record RateLimit(long requests, String period, long burst) {
    }

    record KeyRequest(List<String> scopes, String expiresAt, String name, RateLimit rateLimit) {
    }

    record KeyView(UUID id, UUID tenantId, String prefix, Set<String> scopes, String name, Instant createdAt, Instant expiresAt,
            Instant revokedAt, Instant lastUsedAt, RateLimit rateLimit) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.tenantId(), k.prefix(), ids(k.scopes()), k.name(), k.createdAt(), k.expiresAt(), k.revokedAt(),
                    k.lastUsedAt(), k.rateLimit() == null ? null
                            : new RateLimit(k.rateLimit().requests(), k.rateLimit().period().toString(), k.rateLimit().burst()));
        }
    }

    record NewKeyView(UUID id, String key, Set<String> scopes, UUID tenantId, String prefix, Instant expiresAt) {
    }

    @PostMapping("/tenants")
    @Operation(summary = "Make a tenant (201); 409 when the name is taken")
    ResponseEntity<TenantView> createTenant(@RequestBody TenantRequest request) {
        if (request == null || request.name() == null) {
            throw bad("name the tenant: {\"name\": \"acme\"}");
        }
        try {
            Tenant tenant = tenants.create(request.name());
            return ResponseEntity.created(URI.create("/admin/tenants/" + tenant.id())).body(TenantView.of(tenant));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        } catch (DuplicateKeyException e) {
            throw new JobControlException(JobControlException.Kind.CONFLICT, "a tenant named '" + request.name() + "' exists");
        }
    }

    @GetMapping("/tenants")
    @Operation(summary = "Every tenant")
    List<TenantView> listTenants() {
        return tenants.list().stream().map(TenantView::of).toList();
    }

    @PostMapping("/tenants/{tenantId}/keys")
    @Operation(summary = "Make an API key for a tenant (201): the answer's key is shown this once and stored only as a hash",
            description = "scopes: upload, read, write, jobs, admin; expiresAt: an ISO instant, optional; rateLimit: "
                    + "{requests, period, burst}, optional, replaces the configured per-key limit")
    ResponseEntity<NewKeyView> createKey(@PathVariable UUID tenantId, @RequestBody KeyRequest request) {
        tenants.find(tenantId).orElseThrow(() -> new JobControlException(JobControlException.Kind.NOT_FOUND, "no tenant " + tenantId));
        if (request == null || request.scopes() == null || request.scopes().isEmpty()) {
            throw bad("name the key's scopes: {\"scopes\": [\"upload\", \"read\"]}");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        try {
            for (String scope : request.scopes()) {
                scopes.add(Scope.of(scope));
            }
            Instant expiresAt = request.expiresAt() == null ? null : Instant.parse(request.expiresAt());
            KeyRateLimit rate = request.rateLimit() == null ? null
                    : new KeyRateLimit(request.rateLimit().requests(), Duration.parse(request.rateLimit().period()),
                            request.rateLimit().burst());
            Tenants.NewKey made = tenants.createKey(tenantId, scopes, expiresAt, request.name(), rate);
            return ResponseEntity.created(URI.create("/admin/keys/" + made.key().id())).body(new NewKeyView(made.key().id(), made.secret(),
                    ids(made.key().scopes()), tenantId, made.key().prefix(), made.key().expiresAt()));
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw bad(e.getMessage());
        }
    }

    @GetMapping("/tenants/{tenantId}/keys")
    @Operation(summary = "A tenant's keys, newest first, never their secrets")
    List<KeyView> listKeys(@PathVariable UUID tenantId) {
        tenants.find(tenantId).orElseThrow(() -> new JobControlException(JobControlException.Kind.NOT_FOUND, "no tenant " + tenantId));
        return tenants.keys(tenantId).stream().map(KeyView::of).toList();
    }

    @DeleteMapping("/keys/{keyId}")
    @Operation(summary = "Revoke a key (204), effective at its next request")
    ResponseEntity<Void> revoke(@PathVariable UUID keyId) {
        if (!tenants.revoke(keyId)) {
            throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no key " + keyId);
        }
        return ResponseEntity.noContent().build();
    }

    private static Set<String> ids(Set<Scope> scopes) {
        return scopes.stream().map(Scope::id).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static JobControlException bad(String message) {
        return new JobControlException(JobControlException.Kind.BAD_REQUEST, message);
    }
}
