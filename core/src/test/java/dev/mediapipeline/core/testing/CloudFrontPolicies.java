package dev.mediapipeline.core.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudFront's side of signed URLs and cookies, for tests that check them as CloudFront would: the
 * canned policy rebuilt from a signed URL, a signature verified with the public key alone
 * (SHA1withRSA, CloudFront's default), CloudFront's base64 decoded.
 */
public final class CloudFrontPolicies {

    private CloudFrontPolicies() {
    }

    /** The canned policy exactly as CloudFront defines it: no whitespace, the resource and the expiry. */
    public static String cannedPolicy(String resource, long epochSeconds) {
        return "{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + epochSeconds + "}}}]}";
    }

    /** Whether {@code signature} is the key's SHA1withRSA signature of {@code policy}, as CloudFront checks it. */
    public static boolean verifies(PublicKey key, String policy, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("SHA1withRSA");
        verifier.initVerify(key);
        verifier.update(policy.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    /**
     * Whether a URL signed with a canned policy verifies: its resource (the URL without its query)
     * and its {@code Expires} make the policy its {@code Signature} must sign.
     */
    public static boolean verifiesCanned(PublicKey key, URI signedUrl) throws GeneralSecurityException {
        Map<String, String> query = query(signedUrl.getRawQuery());
        String resource = signedUrl.getScheme() + "://" + signedUrl.getRawAuthority() + signedUrl.getRawPath();
        return verifies(key, cannedPolicy(resource, Long.parseLong(query.get("Expires"))), cloudFrontBase64(query.get("Signature")));
    }

    /** CloudFront's URL-safe base64: {@code -} for {@code +}, {@code _} for {@code =}, {@code ~} for {@code /}. */
    public static byte[] cloudFrontBase64(String value) {
        return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
    }

    /** A raw query's parameters, in order, as they are (not decoded). */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
        return parameters;
    }

    /** DER bytes as PEM text of that type ({@code PRIVATE KEY}, {@code RSA PRIVATE KEY}, ...). */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
