package dev.mediapipeline.core.signing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where the URL signer's keys come from: {@code media.delivery.signing-keys} (base64, newest first)
 * when set; otherwise the database's {@code url_signing_key} rows, newest first, one made at the
 * first start, so that every instance on the database signs and verifies alike.
 */
public final class SigningKeys {

    private SigningKeys() {
    }

    /** Whether the keys come from configuration (fixed) rather than the database (reloaded). */
    public static boolean configured(List<String> configured) {
        return !configured.isEmpty();
    }

    public static UrlSigner signer(List<String> configured, JdbcClient jdbc) {
        if (!configured.isEmpty()) {
            return new UrlSigner(configured.stream().map(k -> {
                try {
                    return Base64.getDecoder().decode(k.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("media.delivery.signing-keys: a key is not base64");
                }
            }).toList());
        }
        List<byte[]> stored = stored(jdbc);
        if (stored.isEmpty()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            // the first key is id 1, made once: of two instances starting at once, one inserts and both read it
            jdbc.sql("insert into url_signing_key (id, secret) values (1, ?) on conflict (id) do nothing").param(secret).update();
            stored = stored(jdbc);
        }
        return new UrlSigner(stored);
    }

    private static List<byte[]> stored(JdbcClient jdbc) {
        return jdbc.sql("select secret from url_signing_key order by id desc").query((rs, i) -> rs.getBytes("secret")).list();
    }
}
