package dev.mediapipeline.core.cdn;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One purge: exact paths and path prefixes, under an id that stays the same each time the purge is
 * sent again (the purge record's id), so that an adapter can make a retry idempotent at the CDN.
 *
 * <p>Paths are made into the form an edge keys its cache on, once, here: each must begin with
 * {@code /} and may carry a query; characters a client would percent-encode in a request (spaces,
 * controls, non-ASCII as UTF-8, {@code " # < > [ \ ] ^ ` { | }}, a {@code %} that starts no escape)
 * are percent-encoded, escapes already there are kept, and every other character is left as it is
 * (CloudFront misses an object whose path was encoded more than the request's). So a path may be
 * given decoded ({@code /media/a b/é.jpg}) or as requested ({@code /media/a%20b/%C3%A9.jpg}): both
 * become the latter. {@code *} is refused (CloudFront would read a wildcard: purge a prefix instead),
 * and so is a query in a prefix. Duplicates are dropped, order kept.
 *
 * @param id       1 to 64 letters, digits, {@code . _ : -}
 * @param paths    exact paths, encoded
 * @param prefixes path prefixes, encoded: every URL whose path begins with one is purged
 */
public record PurgeBatch(String id, List<String> paths, List<String> prefixes) {

    /** The longest path taken, before encoding. */
    static final int MAX_PATH = 2048;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final String KEPT = "-._~!$&'()+,;=:@/?";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public PurgeBatch {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a purge batch id is 1 to 64 letters, digits, '.', '_', ':' or '-', not " + id);
        }
        paths = normalise(paths, false);
        prefixes = normalise(prefixes, true);
    }

    /** A batch under a fresh random id: for a purge sent once, not recorded for retries. */
    public static PurgeBatch of(List<String> paths, List<String> prefixes) {
        return new PurgeBatch(UUID.randomUUID().toString(), paths, prefixes);
    }

    private static List<String> normalise(List<String> given, boolean prefixes) {
        if (given == null) {
            return List.of();
        }
        String what = prefixes ? "prefix" : "path";
        Set<String> encoded = new LinkedHashSet<>();
        for (String path : given) {
            if (path == null || !path.startsWith("/") || path.length() > MAX_PATH) {
                throw new IllegalArgumentException("a " + what + " to purge begins with / and has at most " + MAX_PATH + " characters, not "
                        + (path == null ? null : path.substring(0, Math.min(path.length(), 100))));
            }
            if (path.indexOf('*') >= 0) {
                throw new IllegalArgumentException("a " + what + " to purge may not contain '*' (a wildcard to CloudFront): " + path);
            }
            if (prefixes && path.indexOf('?') >= 0) {
                throw new IllegalArgumentException("a prefix to purge is a path, without a query: " + path);
            }
            encoded.add(encode(path));
        }
        return List.copyOf(encoded);
    }

    /** {@code path} as a client sends it: see the class comment. Encoding twice changes nothing. */
    static String encode(String path) {
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(path));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a path to purge is not valid Unicode (a lone surrogate): " + path, e);
        }
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.append('%').append((char) bytes[i + 1]).append((char) bytes[i + 2]);
                i += 2;
            } else if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || (b < 0x80 && KEPT.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
