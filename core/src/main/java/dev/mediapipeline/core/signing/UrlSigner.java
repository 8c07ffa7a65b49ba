package dev.mediapipeline.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The application's own signed URLs: {@code ?exp=<unix seconds>&sig=<base64url HMAC-SHA256>} over
 * the path and the expiry. Several keys can be held so that one is rotated out: the first (the
 * newest) signs, every one verifies. The signature covers the path exactly as requested (no query),
 * so it cannot be moved to another asset, format or width.
 *
 * <p>A prefix token ({@code <exp>.<sig>}) is the same signature over a directory instead of one
 * path: it covers every path under that prefix (a stream version's playlists and segments). It signs
 * {@code prefix:} and the prefix, which no path does (a path starts with {@code /}), so a token can
 * never pass for a path's signature, nor a path's signature for a token.
 */
public final class UrlSigner {

    /** What a presented signature is. */
    public enum Verdict {
        VALID, EXPIRED, INVALID
    }

    private final List<byte[]> keys;

    /** @param keys secrets of at least 32 bytes, newest first */
    public UrlSigner(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a URL signer needs at least one key");
        }
        for (byte[] key : keys) {
            if (key.length < 32) {
                throw new IllegalArgumentException("a URL signing key must have at least 32 bytes (256 bits), not " + key.length);
            }
        }
        this.keys = keys.stream().map(byte[]::clone).toList();
    }

    /** The query that makes {@code path} readable until {@code expires}: {@code exp=...&sig=...}. */
    public String sign(String path, Instant expires) {
        long exp = expires.getEpochSecond();
        return "exp=" + exp + "&sig=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.getFirst(), path, exp));
    }

    /** Whether {@code sig} signs {@code path} until {@code exp} with one of the keys, and {@code exp} is still ahead of {@code now}. */
    public Verdict verify(String path, String exp, String sig, Instant now) {
        return check(path, exp, sig, now);
    }

    /**
     * A token for every path under {@code prefix} until {@code expires}: {@code <exp>.<sig>}, in the
     * one spelling {@link #verifyPrefix} takes.
     *
     * @param prefix a directory of the application's paths: starts and ends with {@code /}
     */
    public String signPrefix(String prefix, Instant expires) {
        long exp = expires.getEpochSecond();
        return exp + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.getFirst(), prefixed(prefix), exp));
    }

    /** Whether {@code token} ({@code <exp>.<sig>}) signs {@code prefix} with one of the keys, and its expiry is still ahead of {@code now}. */
    public Verdict verifyPrefix(String prefix, String token, Instant now) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 0) {
            return Verdict.INVALID;
        }
        return check(prefixed(prefix), token.substring(0, dot), token.substring(dot + 1), now);
    }

    /** What a prefix token signs: never a path, which starts with {@code /}. */
    private static String prefixed(String prefix) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a signed prefix starts and ends with /, not " + prefix);
        }
        return "prefix:" + prefix;
    }

    private Verdict check(String signed, String exp, String sig, Instant now) {
        // one spelling only (no leading zeros, no padding, 43 characters for 32 bytes): a signed URL has
        // exactly one form, so a cache keyed on it cannot be made to miss by re-spelling it
        if (exp == null || sig == null || !exp.matches("[1-9]\\d{0,11}") || !sig.matches("[A-Za-z0-9_-]{43}")) {
            return Verdict.INVALID;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(presented).equals(sig)) {
            return Verdict.INVALID; // the last character's spare bits set: another spelling of the same bytes
        }
        long expires = Long.parseLong(exp);
        boolean matches = false;
        for (byte[] key : keys) {
            // every key is tried, whatever matched: the time taken says nothing of which one
            matches |= MessageDigest.isEqual(mac(key, signed, expires), presented);
        }
        if (!matches) {
            return Verdict.INVALID;
        }
        return now.getEpochSecond() < expires ? Verdict.VALID : Verdict.EXPIRED;
    }

    private static byte[] mac(byte[] key, String signed, long exp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("media-pipeline/v1\n" + signed + "\n" + exp).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
