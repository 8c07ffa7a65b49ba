package dev.mediapipeline.core.signing;

import static dev.mediapipeline.core.testing.CloudFrontPolicies.cannedPolicy;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.cloudFrontBase64;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.pem;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.query;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.verifies;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.verifiesCanned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CloudFront signed URLs and cookies, checked as CloudFront checks them: the policy rebuilt from the
 * URL (canned) or decoded from the cookie (custom), and the signature verified with the public key
 * alone (SHA1withRSA, CloudFront's base64 with {@code - _ ~} for {@code + = /}).
 */
@Tag("fast")
class CloudFrontSigningTest {

    static final URI DISTRIBUTION = URI.create("https://d111111abcdef8.cloudfront.net");
    static final String KEY_PAIR_ID = "K2JCJMDEHXQW5F";
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
    static final long EPOCH = 1893456000L;

    static KeyPair keys;
    static KeyPair otherKeys;
    static CloudFrontSigning signing;

    @BeforeAll
    static void generateKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
        signing = new CloudFrontSigning(DISTRIBUTION, KEY_PAIR_ID, keys.getPrivate());
    }

    @Test
    void aSignedUrlCarriesACannedPolicySignatureOfThatObject() throws Exception {
        URI url = signing.signedUrl("/media/0b9c2625/original", EXPIRES);
        String resource = "https://d111111abcdef8.cloudfront.net/media/0b9c2625/original";
        assertThat(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath()).isEqualTo(resource);
        Map<String, String> query = query(url.getRawQuery());
        assertThat(query).containsKeys("Expires", "Signature", "Key-Pair-Id");
        assertThat(query.getOrDefault("Hash-Algorithm", "SHA1")).as("SHA-1, CloudFront's default").isEqualTo("SHA1");
        assertThat(query.get("Expires")).isEqualTo(Long.toString(EPOCH));
        assertThat(query.get("Key-Pair-Id")).isEqualTo(KEY_PAIR_ID);
        assertThat(query.get("Signature")).matches("[A-Za-z0-9~_-]+");
        byte[] signature = cloudFrontBase64(query.get("Signature"));

        assertThat(verifies(keys.getPublic(), cannedPolicy(resource, EPOCH), signature)).isTrue();
        assertThat(verifies(keys.getPublic(), cannedPolicy("https://d111111abcdef8.cloudfront.net/media/0b9c2625/webp/640", EPOCH), signature))
                .as("another path").isFalse();
        assertThat(verifies(keys.getPublic(), cannedPolicy(resource, EPOCH + 3600), signature)).as("a later expiry").isFalse();
        assertThat(verifies(otherKeys.getPublic(), cannedPolicy(resource, EPOCH), signature)).as("another key").isFalse();
    }

    @Test
    void streamCookiesCarryACustomPolicyOnThePrefix() throws Exception {
        CloudFrontSigning.StreamCookies cookies = signing.streamCookies("/streams/0b9c2625/", EXPIRES);
        assertThat(cookies.keyPairId()).isEqualTo("CloudFront-Key-Pair-Id=" + KEY_PAIR_ID);
        assertThat(cookies.policy()).startsWith("CloudFront-Policy=");
        assertThat(cookies.signature()).startsWith("CloudFront-Signature=");
        byte[] policy = cloudFrontBase64(cookies.policy().substring("CloudFront-Policy=".length()));
        byte[] signature = cloudFrontBase64(cookies.signature().substring("CloudFront-Signature=".length()));

        JsonNode statement = JsonMapper.builder().build().readTree(policy).path("Statement").path(0);
        assertThat(statement.path("Resource").asString()).isEqualTo("https://d111111abcdef8.cloudfront.net/streams/0b9c2625/*");
        assertThat(statement.path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong()).isEqualTo(EPOCH);
        assertThat(verifies(keys.getPublic(), new String(policy, StandardCharsets.UTF_8), signature)).isTrue();
        String widened = new String(policy, StandardCharsets.UTF_8).replace("/streams/0b9c2625/*", "/streams/*");
        assertThat(verifies(keys.getPublic(), widened, signature)).as("a widened resource").isFalse();
        assertThat(verifies(otherKeys.getPublic(), new String(policy, StandardCharsets.UTF_8), signature)).as("another key").isFalse();

        List<String> headers = cookies.setCookieHeaders("example.com");
        assertThat(headers).hasSize(3);
        assertThat(headers.get(0)).startsWith(cookies.policy() + ";");
        assertThat(headers.get(1)).startsWith(cookies.signature() + ";");
        assertThat(headers.get(2)).startsWith(cookies.keyPairId() + ";");
        assertThat(headers).allSatisfy(header -> assertThat(header).contains("; Path=/streams/0b9c2625/", "; Domain=example.com", "; Secure", "; HttpOnly"));
        assertThat(cookies.setCookieHeaders(null)).allSatisfy(header -> assertThat(header).doesNotContain("Domain="));
    }

    @Test
    void theKeyIsReadFromPkcs8OrPkcs1Pem(@TempDir Path dir) throws Exception {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        String pkcs8Pem = pem("PRIVATE KEY", pkcs8);
        assertThat(CloudFrontSigning.readPrivateKey(pkcs8Pem).getEncoded()).isEqualTo(pkcs8);
        assertThat(CloudFrontSigning.readPrivateKey(pem("RSA PRIVATE KEY", pkcs1(pkcs8))).getEncoded()).as("PKCS#1, older OpenSSL").isEqualTo(pkcs8);

        Path file = dir.resolve("cloudfront.pem");
        Files.writeString(file, pkcs8Pem);
        URI url = CloudFrontSigning.of(DISTRIBUTION, KEY_PAIR_ID, file).signedUrl("/media/a/original", EXPIRES);
        assertThat(verifiesCanned(keys.getPublic(), url)).isTrue();
        assertThat(verifiesCanned(otherKeys.getPublic(), url)).as("another key").isFalse();

        assertThatThrownBy(() -> CloudFrontSigning.readPrivateKey(pem("ENCRYPTED PRIVATE KEY", pkcs8))).hasMessageContaining("unencrypted");
        assertThatThrownBy(() -> CloudFrontSigning.readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("no RSA private key");
        assertThatThrownBy(() -> CloudFrontSigning.readPrivateKey("x".repeat(CloudFrontSigning.MAX_PEM + 1))).hasMessageContaining("at most");
        Files.write(dir.resolve("big.pem"), new byte[CloudFrontSigning.MAX_PEM + 1]);
        assertThatThrownBy(() -> CloudFrontSigning.of(DISTRIBUTION, KEY_PAIR_ID, dir.resolve("big.pem"))).hasMessageContaining("not a PEM key");
    }

    @Test
    void whatCloudFrontWouldReadOtherwiseIsRefused() {
        assertThatThrownBy(() -> signing.signedUrl("/media/a b", EXPIRES)).hasMessageContaining("percent-encoded");
        assertThatThrownBy(() -> signing.signedUrl("/media/\"a", EXPIRES)).hasMessageContaining("percent-encoded");
        assertThatThrownBy(() -> signing.signedUrl("/media/a?x=1", EXPIRES)).hasMessageContaining("without a query");
        assertThatThrownBy(() -> signing.signedUrl("/media/*", EXPIRES)).hasMessageContaining("'*'");
        assertThatThrownBy(() -> signing.streamCookies("/streams/abc", EXPIRES)).hasMessageContaining("ends with /");
        assertThatThrownBy(() -> new CloudFrontSigning(URI.create("https://d1.cloudfront.net/base"), KEY_PAIR_ID, keys.getPrivate()))
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> new CloudFrontSigning(DISTRIBUTION, "not an id", keys.getPrivate())).hasMessageContaining("key pair id");
        assertThat(signing.signedUrl("/media/a%20b/%C3%A9.jpg", EXPIRES).getRawPath()).isEqualTo("/media/a%20b/%C3%A9.jpg");
        assertThat(signing.url("/streams/0b9c2625/master.m3u8")).hasToString("https://d111111abcdef8.cloudfront.net/streams/0b9c2625/master.m3u8");
        assertThatThrownBy(() -> signing.url("/streams/a?x=1")).hasMessageContaining("without a query");
    }

    /** The PKCS#1 key inside a JDK-made PKCS#8 RSA 2048 key: after its fixed 26-byte header. */
    static byte[] pkcs1(byte[] pkcs8) {
        byte[] header = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04, (byte) 0x82};
        assertThat(pkcs8[0]).isEqualTo((byte) 0x30);
        assertThat(pkcs8[1]).isEqualTo((byte) 0x82);
        assertThat(Arrays.copyOfRange(pkcs8, 4, 24)).isEqualTo(header);
        int length = ((pkcs8[24] & 0xff) << 8) | (pkcs8[25] & 0xff);
        assertThat(pkcs8.length).isEqualTo(26 + length);
        return Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    }
}
