package dev.mediapipeline.app.delivery;

import static dev.mediapipeline.core.testing.CloudFrontPolicies.cloudFrontBase64;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.query;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.verifies;
import static dev.mediapipeline.core.testing.CloudFrontPolicies.verifiesCanned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.core.testing.CloudFrontPolicies;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import javax.sql.DataSource;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The other ways to deliver, over real HTTP: {@code media.delivery.mode=presigned}, where
 * {@code /media} answers an authorised request with a redirect to an S3 presigned URL that the real
 * S3Proxy honours (the stored bytes, a range) and refuses once tampered with, stripped of its
 * signature or expired; and CloudFront, with a key pair generated here: the asset API's {@code cdnUrl}s
 * verify with its public key as CloudFront would check them, and {@code /streams/{id}/cdn-cookies}
 * gives a key of the asset's tenant, and nobody else, the cookies that open the stream's prefix.
 *
 * <p>The delivery mode and the CloudFront key are deployment-wide settings, read once at the start,
 * so the requests go to a second instance of the application configured so, started in this JVM on
 * the shared context's PostgreSQL and S3 (as a second server of one deployment would run): the
 * tenants, keys, signing keys and assets are the same, the instance and its settings are its own.
 * It ingests one small photo and one short video through the shared context.
 */
class DeliveryModesTest extends AppTestBase {

    static final String DOMAIN = "https://d111111abcdef8.cloudfront.net";
    static final String KEY_PAIR_ID = "K2JCJMDEHXQW5F";
    /** What the distribution adds to every request it forwards to the origin. */
    static final String ORIGIN_SECRET = "origin-secret-" + UUID.randomUUID();
    /** The distribution's key pair: the application signs with the private key, the tests verify with the public one. */
    static final KeyPair CLOUDFRONT_KEYS;

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            CLOUDFRONT_KEYS = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static Fixture fixture;
    /** The second instance, in presigned mode with CloudFront configured. */
    private static ConfigurableApplicationContext modes;

    @Autowired
    DataSource dataSource;
    @Autowired
    EmbeddedS3Endpoint sharedS3;

    /** Starts the presigned, CloudFront-signing instance once, on this context's database and S3. */
    private synchronized String origin() throws Exception {
        if (modes == null) {
            String url;
            String user;
            try (var connection = dataSource.getConnection()) {
                url = connection.getMetaData().getURL();
                user = connection.getMetaData().getUserName();
            }
            Path home = Files.createTempDirectory(Files.createDirectories(TestServices.repoRoot().resolve("src/target")), "delivery-modes-");
            modes = instanceOn(home, url, user, sharedS3.endpoint(),
                    "--media.delivery.mode=presigned",
                    "--media.delivery.presign-ttl=2m",
                    "--media.delivery.cloudfront.domain=" + DOMAIN,
                    "--media.delivery.cloudfront.key-pair-id=" + KEY_PAIR_ID,
                    "--media.delivery.cloudfront.private-key=" + CloudFrontPolicies.pem("PRIVATE KEY", CLOUDFRONT_KEYS.getPrivate().getEncoded()),
                    // the shared context fires the schedules and keeps their test crons; this instance only serves
                    "--spring.quartz.auto-startup=false",
                    "--media.schedules.nightly-ingest.cron=0 0 2 1 1 ? 2099",
                    "--media.schedules.nightly-purge.cron=0 30 3 1 1 ? 2099",
                    "--media.s3.lifecycle.enabled=false",
                    "--media.delivery.cdn-origin-secret=" + ORIGIN_SECRET);
        }
        return "http://127.0.0.1:" + modes.getEnvironment().getProperty("local.server.port");
    }

    /** A JSON client of the second instance. */
    private JsonHttp instanceApi(String key) throws Exception {
        origin();
        return new JsonHttp(Integer.parseInt(modes.getEnvironment().getProperty("local.server.port")), key);
    }

    @AfterAll
    static void stopInstance() {
        if (modes != null) {
            modes.close();
            modes = null;
        }
    }

    /** One tenant's photo and video, ingested once for the class, and a read key of that tenant. */
    record Fixture(UUID tenant, String readKey, UUID photo, UUID video) {
    }

    @Autowired
    UrlSigning signing;

    final HttpClient client = HttpClient.newHttpClient();

    Fixture fixture() throws Exception {
        if (fixture == null) {
            UUID tenant = newTenant("modes");
            UUID photo = TestUploads.stage(staging, JobsApiTest.smallestPhotos(1).getFirst(), tenant).id();
            UUID video = TestUploads.stage(staging, TestServices.corpus().resolve("video").resolve("images__realshort.mp4"), tenant).id();
            JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                    "{\"parameters\": {\"run\": \"modes-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
            assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("COMPLETED");
            assertThat(jdbc.sql("select count(*) from video_stream where asset_id = ?").param(video).query(Long.class).single())
                    .as("the video was packaged").isEqualTo(1L);
            fixture = new Fixture(tenant, newKey(tenant, "read"), photo, video);
        }
        return fixture;
    }

    @Test
    void anAuthorisedMediaRequestIsRedirectedToAPresignedUrlThatS3Honours() throws Exception {
        Fixture f = fixture();
        JsonNode detail = http.as(f.readKey()).get("/assets/" + f.photo()).body();
        JsonNode rendition = largest(detail.get("renditions"));
        String path = "/media/" + f.photo() + "/" + rendition.get("format").asString() + "/" + rendition.get("width").asInt();
        byte[] stored = stored(rendition.get("sha256").asString());
        int n = stored.length;
        assertThat(n).as("enough bytes for a range in the middle").isGreaterThan(100);

        // by a read key of the tenant: 302 to S3, never cached, nothing in the body
        HttpResponse<byte[]> redirect = get(origin() + path, f.readKey());
        assertThat(redirect.statusCode()).as(text(redirect)).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(redirect.body()).isEmpty();
        URI location = location(redirect);
        assertThat(location.toString()).as("a URL of the S3 endpoint").startsWith(sharedS3.endpoint() + "/" + s3.buckets().published() + "/");
        assertThat(query(location.getRawQuery())).containsKeys("X-Amz-Signature", "X-Amz-Date", "X-Amz-Credential")
                .containsEntry("X-Amz-Expires", "120");

        // at S3, with no key: the stored bytes, and a range of them
        HttpResponse<byte[]> atS3 = get(location.toString(), null);
        assertThat(atS3.statusCode()).as(text(atS3)).isEqualTo(200);
        assertThat(atS3.body()).isEqualTo(stored);
        HttpResponse<byte[]> range = get(location.toString(), null, "Range", "bytes=10-59");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-59/" + n);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(stored, 10, 60));

        // refused by S3: a tampered signature, the same object unsigned
        String signature = query(location.getRawQuery()).get("X-Amz-Signature");
        String tampered = location.toString().replace("X-Amz-Signature=" + signature,
                "X-Amz-Signature=" + (signature.charAt(0) == '0' ? '1' : '0') + signature.substring(1));
        assertThat(get(tampered, null).statusCode()).as("a tampered signature").isEqualTo(403);
        String unsigned = location.getScheme() + "://" + location.getRawAuthority() + location.getRawPath();
        assertThat(get(unsigned, null).statusCode()).as("the object without a signature").isEqualTo(403);

        // HEAD as GET; auto keeps Vary: Accept
        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(URI.create(origin() + path)).header("Authorization", "Bearer " + f.readKey())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(302);
        assertThat(head.headers().firstValue("Location")).isPresent();
        HttpResponse<byte[]> auto = get(origin() + "/media/" + f.photo() + "/auto/" + rendition.get("width").asInt(), f.readKey(), "Accept",
                "image/webp,image/*;q=0.8");
        assertThat(auto.statusCode()).isEqualTo(302);
        assertThat(auto.headers().allValues("Vary")).as("Vary: Accept").anyMatch(v -> Arrays.stream(v.split(","))
                .anyMatch(name -> name.strip().equalsIgnoreCase("Accept")));
        assertThat(auto.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(get(location(auto).toString(), null).statusCode()).isEqualTo(200);

        // ?download=1: S3 answers with the origin's attachment name
        HttpResponse<byte[]> download = get(location(get(origin() + path + "?download=1", f.readKey())).toString(), null);
        assertThat(download.statusCode()).isEqualTo(200);
        String original = detail.get("originalFilename").asString();
        String stem = original.contains(".") ? original.substring(0, original.lastIndexOf('.')) : original;
        String extension = switch (rendition.get("format").asString()) {
            case "jpeg" -> "jpg";
            default -> rendition.get("format").asString();
        };
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
                .contains("filename=\"" + stem + "-" + rendition.get("width").asInt() + "." + extension + "\"");

        // by the application's signed URL: the presign never outlives it
        long exp = Instant.now().plusSeconds(30).getEpochSecond();
        HttpResponse<byte[]> bySignedUrl = get(origin() + signing.signed(path, Instant.ofEpochSecond(exp)), null);
        assertThat(bySignedUrl.statusCode()).as(text(bySignedUrl)).isEqualTo(302);
        URI shortLived = location(bySignedUrl);
        assertThat(amzExpiry(shortLived).getEpochSecond()).as("no later than the signed URL's exp").isLessThanOrEqualTo(exp);
        assertThat(get(shortLived.toString(), null).body()).isEqualTo(stored);

        // who may not read the asset gets no redirect
        assertThat(get(origin() + path, null).statusCode()).as("no key, no signature: not public").isEqualTo(403);
        HttpResponse<byte[]> otherTenant = get(origin() + path, newKey(newTenant("modes-other"), "read"));
        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(otherTenant.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void theCdnFetchesWithTheOriginSecretAndNothingElseDoes() throws Exception {
        Fixture f = fixture();
        String base = origin();
        String master = "/streams/" + f.video() + "/master.m3u8";
        String segment = "/streams/" + f.video() + "/v1/video/seg-00001.m4s";
        assertThat(get(base + master, null).statusCode()).as("a viewer straight at the origin").isEqualTo(403);
        HttpResponse<byte[]> pulled = get(base + master, null, "X-Origin-Secret", ORIGIN_SECRET);
        assertThat(pulled.statusCode()).as(text(pulled)).isEqualTo(200);
        assertThat(pulled.headers().firstValue("Cache-Control")).as("for the CDN to keep").hasValue("public, max-age=300");
        HttpResponse<byte[]> object = get(base + segment, null, "X-Origin-Secret", ORIGIN_SECRET);
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get(base + segment, null, "X-Origin-Secret", ORIGIN_SECRET + "x").statusCode()).as("a wrong secret").isEqualTo(403);
        assertThat(get(base + segment, null, "X-Origin-Secret", "").statusCode()).isEqualTo(403);
        assertThat(get(base + "/media/" + f.photo() + "/original", null, "X-Origin-Secret", ORIGIN_SECRET).statusCode())
                .as("an original, for a CloudFront signed URL (presigned mode here: redirected)").isEqualTo(302);
        assertThat(get(base + "/downloads/" + UUID.randomUUID() + "/archive", null, "X-Origin-Secret", ORIGIN_SECRET).statusCode())
                .as("archives are no CDN's").isEqualTo(404);
        // the shared instance has no secret configured: the header opens nothing there
        assertThat(get("http://127.0.0.1:" + port + segment, null, "X-Origin-Secret", ORIGIN_SECRET).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredPresignIsRefusedByS3() throws Exception {
        Fixture f = fixture();
        JsonNode rendition = http.as(f.readKey()).get("/assets/" + f.photo()).body().get("renditions").get(0);
        String key = jdbc.sql("select object_key from file_ref where sha256 = ?").param(rendition.get("sha256").asString()).query(String.class)
                .single();
        URI url = store.presignGet(s3.buckets().published(), key, Duration.ofSeconds(1), null);
        Instant past = amzExpiry(url).plusSeconds(1);
        // the clock, polled until the presign's own expiry (its date and lifetime) is a second behind
        while (!Instant.now().isAfter(past)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), past).toMillis() + 1));
        }
        HttpResponse<byte[]> expired = get(url.toString(), null);
        assertThat(expired.statusCode()).as(text(expired)).isEqualTo(403);
    }

    @Test
    void theAssetApiSignsEachUrlForCloudFrontUntilTheInstantItsOwnExpires() throws Exception {
        Fixture f = fixture();
        long before = Instant.now().getEpochSecond();
        // the asset API of the instance that signs for CloudFront
        JsonNode photo = instanceApi(f.readKey()).get("/assets/" + f.photo()).body();
        assertThat(photo.get("renditions")).isNotEmpty();
        for (JsonNode rendition : photo.get("renditions")) {
            assertCdnUrl(rendition.get("url").asString(), rendition.get("cdnUrl").asString(), before);
        }
        assertCdnUrl(photo.get("originalUrl").asString(), photo.get("originalCdnUrl").asString(), before);

        // tampered: another object's path, or a later expiry, under the same signature
        URI cdn = URI.create(photo.get("renditions").get(0).get("cdnUrl").asString());
        assertThat(verifiesCanned(CLOUDFRONT_KEYS.getPublic(), URI.create(DOMAIN + "/media/" + f.photo() + "/original?" + cdn.getRawQuery())))
                .as("the signature on another path").isFalse();
        long expires = Long.parseLong(query(cdn.getRawQuery()).get("Expires"));
        assertThat(verifiesCanned(CLOUDFRONT_KEYS.getPublic(), URI.create(DOMAIN + cdn.getRawPath() + "?"
                + cdn.getRawQuery().replace("Expires=" + expires, "Expires=" + (expires + 3600))))).as("a later expiry").isFalse();

        // a video: its poster signed the same way, its stream's entry points on the distribution, unsigned (cookies cover them)
        JsonNode video = instanceApi(f.readKey()).get("/assets/" + f.video()).body();
        List<JsonNode> pictures = new ArrayList<>();
        video.get("renditions").forEach(pictures::add);
        video.get("poster").forEach(pictures::add);
        assertThat(pictures).as("the video's poster").isNotEmpty();
        for (JsonNode picture : pictures) {
            assertCdnUrl(picture.get("url").asString(), picture.get("cdnUrl").asString(), before);
        }
        JsonNode stream = video.get("stream");
        assertThat(stream.get("cdnHls").asString()).isEqualTo(DOMAIN + "/streams/" + f.video() + "/master.m3u8");
        assertThat(stream.get("cdnDash").asString()).isEqualTo(DOMAIN + "/streams/" + f.video() + "/manifest.mpd");
        assertThat(stream.get("hls").asString()).as("the application's own, still signed").contains("?exp=");
    }

    @Test
    void cdnCookiesOpenTheStreamsPrefixToAKeyOfItsTenantOnly() throws Exception {
        Fixture f = fixture();
        String route = "/streams/" + f.video() + "/cdn-cookies";
        long durationSeconds = Math.ceilDiv(jdbc.sql("select duration_ms from video_stream where asset_id = ?").param(f.video())
                .query(Long.class).single(), 1000);
        long before = Instant.now().getEpochSecond();
        HttpResponse<byte[]> given = get(origin() + route, f.readKey());
        long after = Instant.now().getEpochSecond();
        assertThat(given.statusCode()).as(text(given)).isEqualTo(204);
        assertThat(given.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        List<String> setCookies = given.headers().allValues("Set-Cookie");
        assertThat(setCookies).hasSize(3).allSatisfy(cookie -> assertThat(cookie)
                .contains("; Path=/streams/" + f.video() + "/", "; Secure", "; HttpOnly").doesNotContain("Domain="));
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String cookie : setCookies) {
            String pair = cookie.substring(0, cookie.indexOf(';'));
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        assertThat(cookies).containsOnlyKeys("CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id")
                .containsEntry("CloudFront-Key-Pair-Id", KEY_PAIR_ID);

        String policy = new String(cloudFrontBase64(cookies.get("CloudFront-Policy")), StandardCharsets.UTF_8);
        byte[] signature = cloudFrontBase64(cookies.get("CloudFront-Signature"));
        JsonNode statement = JSON.readTree(policy).path("Statement").path(0);
        assertThat(statement.path("Resource").asString()).isEqualTo(DOMAIN + "/streams/" + f.video() + "/*");
        assertThat(statement.path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong())
                .as("the stream's duration and the 30 minute margin")
                .isBetween(before + durationSeconds - 1 + 1800, after + durationSeconds + 1800);
        assertThat(verifies(CLOUDFRONT_KEYS.getPublic(), policy, signature)).as("signed with the distribution's key").isTrue();
        assertThat(verifies(CLOUDFRONT_KEYS.getPublic(), policy.replace("/streams/" + f.video() + "/*", "/streams/*"), signature))
                .as("a widened resource").isFalse();

        // nobody else gets them
        assertThat(get(origin() + route, newKey(newTenant("modes-other"), "read")).statusCode()).as("another tenant's key").isEqualTo(404);
        assertThat(get(origin() + route, newKey(f.tenant(), "upload")).statusCode()).as("a key without read").isEqualTo(403);
        HttpResponse<byte[]> anonymous = get(origin() + route, null);
        assertThat(anonymous.statusCode()).as("no key: refused as any delivery request without one").isIn(401, 403);
        assertThat(anonymous.headers().allValues("Set-Cookie")).isEmpty();
        HttpResponse<byte[]> bySignedUrl = get(origin() + signing.signed(route), null);
        assertThat(bySignedUrl.statusCode()).as("a signed URL of the route itself: " + text(bySignedUrl)).isIn(401, 403);
        assertThat(bySignedUrl.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(get(origin() + "/streams/" + f.photo() + "/cdn-cookies", f.readKey()).statusCode()).as("an asset without a stream")
                .isEqualTo(404);
        assertThat(get(origin() + "/streams/" + UUID.randomUUID() + "/cdn-cookies", f.readKey()).statusCode()).isEqualTo(404);
    }

    /**
     * A CloudFront signed URL of the same path as the application's signed URL, until the same
     * second, with the distribution's key pair id, verifying with its public key; about the
     * signed-URL lifetime (1 hour) from {@code before}.
     */
    private static void assertCdnUrl(String url, String cdnUrl, long before) throws GeneralSecurityException {
        assertThat(cdnUrl).as("the CloudFront URL of " + url).isNotNull();
        URI cdn = URI.create(cdnUrl);
        String path = url.substring(0, url.indexOf('?'));
        assertThat(cdn.getScheme() + "://" + cdn.getRawAuthority() + cdn.getRawPath()).isEqualTo(DOMAIN + path);
        Map<String, String> cdnQuery = query(cdn.getRawQuery());
        assertThat(cdnQuery).containsKeys("Expires", "Signature").containsEntry("Key-Pair-Id", KEY_PAIR_ID);
        assertThat(cdnQuery.get("Expires")).as("the expiry of " + url).isEqualTo(query(url.substring(url.indexOf('?') + 1)).get("exp"));
        assertThat(Long.parseLong(cdnQuery.get("Expires"))).isBetween(before + 3600, Instant.now().getEpochSecond() + 3600);
        assertThat(verifiesCanned(CLOUDFRONT_KEYS.getPublic(), cdn)).as(cdnUrl).isTrue();
    }

    /** When a presigned URL stops working: its signing time (X-Amz-Date) plus its lifetime (X-Amz-Expires). */
    private static Instant amzExpiry(URI presigned) {
        Map<String, String> parameters = query(presigned.getRawQuery());
        return LocalDateTime.parse(parameters.get("X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC)
                .plusSeconds(Long.parseLong(parameters.get("X-Amz-Expires")));
    }

    private static JsonNode largest(JsonNode renditions) {
        JsonNode largest = renditions.get(0);
        for (JsonNode candidate : renditions) {
            if (candidate.get("bytes").asLong() > largest.get("bytes").asLong()) {
                largest = candidate;
            }
        }
        return largest;
    }

    private byte[] stored(String sha256) throws Exception {
        String key = jdbc.sql("select object_key from file_ref where sha256 = ?").param(sha256).query(String.class).single();
        try (var in = store.get(s3.buckets().published(), key).orElseThrow()) {
            byte[] bytes = in.readAllBytes();
            assertThat(Sha256.hex(Sha256.newDigest().digest(bytes))).isEqualTo(sha256);
            return bytes;
        }
    }

    private static URI location(HttpResponse<?> redirect) {
        assertThat(redirect.statusCode()).isEqualTo(302);
        return URI.create(redirect.headers().firstValue("Location").orElseThrow());
    }

    private static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> get(String url, String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
