package dev.mediapipeline.app.security;

import dev.mediapipeline.core.signing.SigningKeys;
import dev.mediapipeline.core.signing.UrlSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The application's signed delivery URLs: the signer (its keys from {@code media.delivery.signing-keys},
 * else from the database, made on first use, after the migrations), and URLs signed for
 * {@code media.delivery.signed-url-ttl} (1h).
 */
@Component
public class UrlSigning {

    /** How often keys kept in the database are read again, so that a key added or retired reaches every instance. */
    static final Duration RELOAD = Duration.ofMinutes(5);

    private final List<String> configured;
    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Clock clock;
    private volatile UrlSigner signer;
    private volatile Instant loaded = Instant.MIN;

    UrlSigning(@Value("${media.delivery.signing-keys:}") List<String> keys, @Value("${media.delivery.signed-url-ttl:1h}") Duration ttl,
            JdbcClient jdbc, Clock clock) {
        this.configured = keys.stream().filter(k -> !k.isBlank()).toList();
        this.jdbc = jdbc;
        this.ttl = ttl;
        this.clock = clock;
        if (SigningKeys.configured(configured)) {
            this.signer = SigningKeys.signer(configured, jdbc); // a bad configured key stops the start, not the first request
        }
    }

    /** The signer: the configured keys, or the database's, read on first use (after the migrations) and every {@link #RELOAD}. */
    public UrlSigner signer() {
        if (SigningKeys.configured(configured)) {
            return signer;
        }
        Instant now = clock.instant();
        if (signer == null || now.isAfter(loaded.plus(RELOAD))) {
            synchronized (this) {
                if (signer == null || now.isAfter(loaded.plus(RELOAD))) {
                    signer = SigningKeys.signer(configured, jdbc);
                    loaded = now;
                }
            }
        }
        return signer;
    }

    /** {@code path?exp=...&sig=...}, valid for the configured time to live. */
    public String signed(String path) {
        return signed(path, clock.instant().plus(ttl));
    }

    public String signed(String path, Instant expires) {
        return path + "?" + signer().sign(path, expires);
    }

    Clock clock() {
        return clock;
    }
}
