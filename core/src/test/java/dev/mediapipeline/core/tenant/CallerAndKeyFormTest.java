package dev.mediapipeline.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a caller sees, and the checks a presented key passes before anything is looked up. */
@Tag("fast")
class CallerAndKeyFormTest {

    @Test
    void anAdminSeesEveryTenantAndHasEveryScopeOthersOnlyTheirOwn() {
        UUID tenant = UUID.randomUUID();
        Caller admin = new Caller(null, tenant, "t", Set.of(Scope.ADMIN), null);
        assertThat(admin.scopes()).containsExactlyInAnyOrder(Scope.values());
        assertThat(admin.tenantFilter()).isNull();
        assertThat(admin.sees(UUID.randomUUID())).isTrue();

        Caller reader = new Caller(UUID.randomUUID(), tenant, "t", Set.of(Scope.READ), null);
        assertThat(reader.has(Scope.READ)).isTrue();
        assertThat(reader.has(Scope.WRITE)).isFalse();
        assertThat(reader.tenantFilter()).isEqualTo(tenant);
        assertThat(reader.sees(tenant)).isTrue();
        assertThat(reader.sees(UUID.randomUUID())).isFalse();
    }

    @Test
    void malformedKeysAreRefusedBeforeAnyLookup() {
        // no database behind it: a malformed key must never reach one
        Tenants tenants = new Tenants(null, Clock.systemUTC());
        for (String key : new String[] {null, "", "mp_short_x", "mp_ABCDEFGHIJKL_" + "a".repeat(43), "mp_abcdefghijkl_" + "a".repeat(42),
                "mp_abcdefghijkl_" + "a".repeat(43) + "'", "x".repeat(5000)}) {
            assertThatThrownBy(() -> tenants.authenticate(key)).isInstanceOfSatisfying(Tenants.KeyRefusedException.class,
                    e -> assertThat(e.refusal()).isEqualTo(Tenants.Refusal.MALFORMED));
        }
    }

    @Test
    void scopesAndNamesAreChecked() {
        assertThat(Scope.of("jobs")).isEqualTo(Scope.JOBS);
        assertThatThrownBy(() -> Scope.of("root")).hasMessageContaining("unknown scope 'root'");
        assertThat(Tenants.validName("acme-eu.1")).isTrue();
        assertThat(Tenants.validName("Acme")).isFalse();
        assertThat(Tenants.validName("-acme")).isFalse();
        assertThat(Tenants.validName("a".repeat(64))).isFalse();
        assertThatThrownBy(() -> new KeyRateLimit(0, java.time.Duration.ofSeconds(1), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
