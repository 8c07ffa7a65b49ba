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
import org.springframework.util.function.SingletonSupplier;

/**
 * The application's signed delivery URLs: the signer (its keys from {@code media.delivery.signing-keys},
 * else from the database, made on first use, after the migrations), and URLs signed for
 * {@code media.delivery.signed-url-ttl} (1h).
 */
@Component
public class UrlSigning {

    private final SingletonSupplier<UrlSigner> signer;
    private final Duration ttl;
    private final Clock clock;

    UrlSigning(@Value("${media.delivery.signing-keys:}") List<String> keys, @Value("${media.delivery.signed-url-ttl:1h}") Duration ttl,
            JdbcClient jdbc, Clock clock) {
        List<String> configured = keys.stream().filter(k -> !k.isBlank()).toList();
        this.signer = SingletonSupplier.of(() -> SigningKeys.signer(configured, jdbc));
        this.ttl = ttl;
        this.clock = clock;
    }

    public UrlSigner signer() {
        return signer.obtain();
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
