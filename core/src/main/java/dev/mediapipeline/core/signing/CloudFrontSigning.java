package dev.mediapipeline.core.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;
import software.amazon.awssdk.services.cloudfront.model.CannedSignerRequest;
import software.amazon.awssdk.services.cloudfront.model.CustomSignerRequest;

/**
 * CloudFront signed URLs and signed cookies, made by the AWS SDK's {@link CloudFrontUtilities} with
 * the distribution's key pair (the public key registered in a CloudFront key group, its id, and the
 * RSA private key from configuration). CloudFront checks them at the edge; the origin never sees an
 * unsigned request for a private object.
 *
 * <p>A signed URL names one object with a canned policy: {@code ?Expires=...&Signature=...&Key-Pair-Id=...}.
 * A stream is many objects (playlists, init and media segments), so its player gets three cookies
 * instead, signed over a custom policy whose resource is the stream's prefix with a wildcard
 * ({@code https://host/streams/<id>/*}): every request under it carries them.
 *
 * <p>Paths are given as they are requested (percent-encoded; no query): they go into the policy as
 * they are, and CloudFront compares them with the request's.
 */
public final class CloudFrontSigning {

    /** The longest PEM taken: an RSA 4096 key is about 3.3 KB. */
    static final int MAX_PEM = 16 * 1024;

    /** What a path may hold: RFC 3986 path characters and escapes, no quote, backslash, space, query or fragment. */
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()+,;=:@/]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9\\-._~!$&'()+,;=:@/]*)*");
    private static final Pattern PEM = Pattern.compile("-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA )?PRIVATE KEY-----");

    private final CloudFrontUtilities utilities = CloudFrontUtilities.create();
    private final String origin;
    private final String keyPairId;
    private final PrivateKey privateKey;

    /**
     * @param distribution the address viewers use: {@code https://d111111abcdef8.cloudfront.net} or a custom host
     * @param keyPairId    the id of the public key in the distribution's trusted key group
     * @param privateKey   its RSA private key
     */
    public CloudFrontSigning(URI distribution, String keyPairId, PrivateKey privateKey) {
        if (distribution == null || !("https".equals(distribution.getScheme()) || "http".equals(distribution.getScheme())) || distribution.getHost() == null
                || (distribution.getRawPath() != null && !distribution.getRawPath().isEmpty() && !distribution.getRawPath().equals("/"))
                || distribution.getRawQuery() != null) {
            throw new IllegalArgumentException("a CloudFront distribution is an https://host address without a path, not " + distribution);
        }
        if (keyPairId == null || !keyPairId.matches("[A-Z0-9]{1,64}")) {
            throw new IllegalArgumentException("a CloudFront key pair id is upper-case letters and digits, like K2JCJMDEHXQW5F, not " + keyPairId);
        }
        if (privateKey == null || !"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("CloudFront signs with an RSA private key, not " + (privateKey == null ? null : privateKey.getAlgorithm()));
        }
        this.origin = distribution.getScheme() + "://" + distribution.getRawAuthority();
        this.keyPairId = keyPairId;
        this.privateKey = privateKey;
    }

    /** Signs with a key read from a PEM text (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}). */
    public static CloudFrontSigning of(URI distribution, String keyPairId, String pem) {
        return new CloudFrontSigning(distribution, keyPairId, readPrivateKey(pem));
    }

    /** Signs with a key read from a PEM file. */
    public static CloudFrontSigning of(URI distribution, String keyPairId, Path pemFile) {
        try {
            long size = Files.size(pemFile);
            if (size > MAX_PEM) {
                throw new IllegalArgumentException("the CloudFront private key " + pemFile + " has " + size + " bytes: not a PEM key (at most " + MAX_PEM + ")");
            }
            return of(distribution, keyPairId, Files.readString(pemFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CloudFront private key " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * A URL that lets anyone holding it GET {@code path} until {@code expires} (a canned policy).
     *
     * @param path as requested, percent-encoded, without a query: {@code /media/<id>/original}
     */
    public URI signedUrl(String path, Instant expires) {
        String resource = origin + checkPath(path, "path");
        CannedSignerRequest request = CannedSignerRequest.builder()
                .resourceUrl(resource)
                .keyPairId(keyPairId)
                .privateKey(privateKey)
                .expirationDate(expires)
                .build();
        return URI.create(utilities.getSignedUrlWithCannedPolicy(request).url());
    }

    /**
     * The distribution's address of {@code path}, unsigned: for what a viewer reaches with the
     * stream cookies ({@link #streamCookies}), such as a stream's master playlist.
     *
     * @param path as requested, percent-encoded, without a query: {@code /streams/<id>/master.m3u8}
     */
    public URI url(String path) {
        return URI.create(origin + checkPath(path, "path"));
    }

    /**
     * Signed cookies that let their holder GET everything under {@code prefix} until {@code expires}
     * (a custom policy on {@code https://host<prefix>*}).
     *
     * @param prefix a path ending in {@code /}, so that it reaches no sibling: {@code /streams/<id>/}
     */
    public StreamCookies streamCookies(String prefix, Instant expires) {
        checkPath(prefix, "prefix");
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a signed stream prefix ends with / (else /streams/ab* would reach /streams/abc/): " + prefix);
        }
        CustomSignerRequest request = CustomSignerRequest.builder()
                .resourceUrl(origin + prefix + "*")
                .keyPairId(keyPairId)
                .privateKey(privateKey)
                .expirationDate(expires)
                .build();
        CookiesForCustomPolicy cookies = utilities.getCookiesForCustomPolicy(request);
        return new StreamCookies(cookies.policyHeaderValue(), cookies.signatureHeaderValue(), cookies.keyPairIdHeaderValue(), prefix);
    }

    /**
     * The three CloudFront cookies of a stream, each as {@code Name=value}.
     *
     * @param path the cookies' Path: the stream's prefix
     */
    public record StreamCookies(String policy, String signature, String keyPairId, String path) {

        /**
         * The three {@code Set-Cookie} header values: Secure, HttpOnly, {@code SameSite=None} (the
         * player runs on the customer's site), for the stream's path. Session cookies, as CloudFront
         * advises: the policy's own expiry is what CloudFront enforces.
         *
         * @param domain the cookies' Domain, a parent of the distribution's host that the application
         *               shares ({@code example.com} for {@code media.example.com}); null for a host-only cookie
         */
        public List<String> setCookieHeaders(String domain) {
            String attributes = "; Path=" + path + (domain == null ? "" : "; Domain=" + domain) + "; Secure; HttpOnly; SameSite=None";
            return List.of(policy + attributes, signature + attributes, keyPairId + attributes);
        }
    }

    /**
     * Reads an RSA private key from PEM text: PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genrsa}
     * writes since OpenSSL 3) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, older OpenSSL), unencrypted.
     */
    public static PrivateKey readPrivateKey(String pem) {
        if (pem == null || pem.length() > MAX_PEM) {
            throw new IllegalArgumentException("a CloudFront private key is a PEM text of at most " + MAX_PEM + " characters");
        }
        Matcher matcher = PEM.matcher(pem);
        if (!matcher.find() || (matcher.group(1) == null) != (matcher.group(3) == null)) {
            throw new IllegalArgumentException("no unencrypted RSA private key in the PEM text (want BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM private key's base64 is damaged", e);
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(matcher.group(1) == null ? der : pkcs8(der)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM text holds no RSA private key the JDK can read: " + e.getMessage(), e);
        }
    }

    /** A PKCS#1 RSAPrivateKey wrapped as the PKCS#8 PrivateKeyInfo the JDK reads: version 0, rsaEncryption, the key. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] rsaEncryption = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] key = der(0x04, pkcs1);
        byte[] body = new byte[version.length + rsaEncryption.length + key.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(rsaEncryption, 0, body, version.length, rsaEncryption.length);
        System.arraycopy(key, 0, body, version.length + rsaEncryption.length, key.length);
        return der(0x30, body);
    }

    /** One DER element: the tag, the definite length (short or long form), the content. */
    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        int lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
        byte[] out = new byte[2 + lengthBytes + length];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(content, 0, out, 2 + lengthBytes, length);
        return out;
    }

    private static String checkPath(String path, String what) {
        if (path == null || path.length() > 2048 || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("a " + what + " to sign for CloudFront begins with / and is percent-encoded, without a query or '*': " + path);
        }
        return path;
    }
}
