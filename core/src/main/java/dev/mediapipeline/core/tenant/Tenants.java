package dev.mediapipeline.core.tenant;

import dev.mediapipeline.core.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants and their API keys (tables {@code tenant}, {@code api_key}). A key reads
 * {@code mp_<prefix>_<secret>}: a 12-character lookup prefix and 32 random bytes in base64url. It is
 * returned once, when made; the table keeps only the SHA-256 of the whole key, found by its prefix
 * and compared in constant time.
 */
public class Tenants {

    /** what a presented key must look like before anything is looked up */
    private static final Pattern KEY = Pattern.compile("mp_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final String PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** last_used_at is written at most this often per key, so a busy key costs no write per request */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tenants(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A key just made: the stored row and the key's text, which is never shown again. */
    public record NewKey(ApiKey key, String secret) {
    }

    /** Why a presented key was not accepted. */
    public enum Refusal { MALFORMED, UNKNOWN, REVOKED, EXPIRED }

    public static final class KeyRefusedException extends RuntimeException {
        private final Refusal refusal;

        KeyRefusedException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Makes a tenant; {@link DuplicateKeyException} when the name is taken. */
    public Tenant create(String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("a tenant name is 1 to 63 characters of a-z, 0-9, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into tenant (id, name) values (?, ?)").params(id, name).update();
        return find(id).orElseThrow();
    }

    /** The tenant of that name, made when missing (the command line's {@code --tenant}). */
    public Tenant findOrCreate(String name) {
        return findByName(name).orElseGet(() -> {
            try {
                return create(name);
            } catch (DuplicateKeyException raced) {
                return findByName(name).orElseThrow();
            }
        });
    }

    public Optional<Tenant> find(UUID id) {
        return jdbc.sql("select id, name, created_at from tenant where id = ?").param(id).query(Tenants::tenant).optional();
    }

    public Optional<Tenant> findByName(String name) {
        return jdbc.sql("select id, name, created_at from tenant where name = ?").param(name).query(Tenants::tenant).optional();
    }

    public List<Tenant> list() {
        return jdbc.sql("select id, name, created_at from tenant order by name").query(Tenants::tenant).list();
    }

    /** Makes a key for a tenant; the returned text is the only copy of the secret. */
    public NewKey createKey(UUID tenantId, Set<Scope> scopes, Instant expiresAt, String name, KeyRateLimit rateLimit) {
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope");
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new IllegalArgumentException("expiresAt must be in the future");
        }
        if (name != null && name.length() > 200) {
            throw new IllegalArgumentException("a key's name is at most 200 characters");
        }
        StringBuilder prefix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            prefix.append(PREFIX_ALPHABET.charAt(random.nextInt(PREFIX_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String text = "mp_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into api_key (id, tenant_id, prefix, secret_hash, scopes, name, expires_at, rate_requests, rate_period_ms, rate_burst)
                values (?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?)""")
                .params(id, tenantId, prefix.toString(), hash(text), scopes.stream().map(Scope::id).sorted().toArray(String[]::new),
                        name, ts(expiresAt), rateLimit == null ? null : rateLimit.requests(),
                        rateLimit == null ? null : rateLimit.period().toMillis(), rateLimit == null ? null : rateLimit.burst())
                .update();
        return new NewKey(key(id).orElseThrow(), text);
    }

    public Optional<ApiKey> key(UUID keyId) {
        return jdbc.sql("select * from api_key where id = ?").param(keyId).query(Tenants::apiKey).optional();
    }

    /** A tenant's keys, newest first, without their secrets. */
    public List<ApiKey> keys(UUID tenantId) {
        return jdbc.sql("select * from api_key where tenant_id = ? order by created_at desc, id").param(tenantId)
                .query(Tenants::apiKey).list();
    }

    /** Whether any active admin key is stored (the first start makes one when not). */
    public boolean hasActiveAdminKey() {
        return jdbc.sql("""
                select exists (select 1 from api_key where 'admin' = any(scopes) and revoked_at is null
                               and (expires_at is null or expires_at > ?))""")
                .param(ts(clock.instant())).query(Boolean.class).single();
    }

    /** Revokes a key, effective at the next request; false when there is no such key. */
    public boolean revoke(UUID keyId) {
        return jdbc.sql("update api_key set revoked_at = coalesce(revoked_at, ?) where id = ?")
                .params(ts(clock.instant()), keyId).update() > 0;
    }

    /**
     * The caller a presented key stands for. Its form is checked before any lookup; the stored
     * hash is compared in constant time; revoked and expired keys are refused at once (nothing is
     * cached).
     */
    public Caller authenticate(String presented) {
        if (presented == null || presented.length() > 100) {
            throw new KeyRefusedException(Refusal.MALFORMED, "the API key is malformed");
        }
        Matcher matcher = KEY.matcher(presented);
        if (!matcher.matches()) {
            throw new KeyRefusedException(Refusal.MALFORMED, "the API key is malformed: keys read mp_<prefix>_<secret>");
        }
        record Row(ApiKey key, byte[] hash, String tenantName) {
        }
        Optional<Row> found = jdbc.sql("select k.*, t.name as tenant_name from api_key k join tenant t on t.id = k.tenant_id where k.prefix = ?")
                .param(matcher.group(1))
                .query((rs, n) -> new Row(apiKey(rs, n), rs.getBytes("secret_hash"), rs.getString("tenant_name")))
                .optional();
        byte[] presentedHash = hash(presented);
        if (found.isEmpty() || !MessageDigest.isEqual(found.get().hash(), presentedHash)) {
            throw new KeyRefusedException(Refusal.UNKNOWN, "unknown API key");
        }
        ApiKey key = found.get().key();
        Instant now = clock.instant();
        if (key.revokedAt() != null) {
            throw new KeyRefusedException(Refusal.REVOKED, "the API key was revoked at " + key.revokedAt());
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            throw new KeyRefusedException(Refusal.EXPIRED, "the API key expired at " + key.expiresAt());
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
            jdbc.sql("update api_key set last_used_at = ? where id = ?").params(ts(now), key.id()).update();
        }
        return new Caller(key.id(), key.tenantId(), found.get().tenantName(), key.scopes(), key.rateLimit());
    }

    public static byte[] hash(String key) {
        return Sha256.newDigest().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static Tenant tenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("name"), rs.getTimestamp("created_at").toInstant());
    }

    private static ApiKey apiKey(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("scopes");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String id : (String[]) array.getArray()) {
            scopes.add(Scope.of(id));
        }
        return new ApiKey(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("prefix"), scopes,
                rs.getString("name"), instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"),
                instant(rs, "last_used_at"), rs.getObject("rate_requests") == null ? null
                        : new KeyRateLimit(rs.getLong("rate_requests"), java.time.Duration.ofMillis(rs.getLong("rate_period_ms")),
                                rs.getLong("rate_burst")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
