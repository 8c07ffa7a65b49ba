package dev.mediapipeline.core.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Varnish ({@code scripts/varnish} with {@code scripts/edge.vcl}) in front of a loopback origin
 * that counts what reaches it: the edge caches what the origin lets it, serves Range from the cache,
 * keeps Vary variants apart, never stores private answers or credentialed requests, and forgets what
 * {@link VarnishPurger} purges, so that the next request gets the origin's new answer.
 */
class VarnishPurgerTest {

    static final Path DIR = TestServices.repoRoot().resolve("target/varnish-test");

    static HttpServer origin;
    static ExecutorService originThreads;
    static int edgePort;
    static VarnishPurger purger;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** Requests that reached the origin, by path with query. */
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** The Range header of the last request that reached the origin, by path ("" for none). */
    static final Map<String, String> rangeSeen = new ConcurrentHashMap<>();
    /** The version of each path's content: bumped by a test to change what the origin serves. */
    static final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        originThreads = Executors.newFixedThreadPool(4);
        origin.setExecutor(originThreads);
        origin.createContext("/", VarnishPurgerTest::serve);
        origin.start();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            edgePort = free.getLocalPort();
        }
        TestServices.run(List.of(TestServices.repoRoot().resolve("scripts/varnish").toString(), "start", "--port", Integer.toString(edgePort),
                "--backend", "127.0.0.1:" + origin.getAddress().getPort(), "--dir", DIR.toString()), 120);
        purger = new VarnishPurger(URI.create("http://127.0.0.1:" + edgePort));
    }

    @AfterAll
    static void stop() {
        try {
            TestServices.run(List.of(TestServices.repoRoot().resolve("scripts/varnish").toString(), "stop", "--dir", DIR.toString()), 60);
        } finally {
            origin.stop(0);
            originThreads.shutdownNow();
        }
    }

    @Test
    void theSecondGetIsAHit() throws Exception {
        HttpResponse<byte[]> first = get("/media/hit/a");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<byte[]> second = get("/media/hit/a");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.headers().firstValue("Age")).hasValueSatisfying(age -> assertThat(age).matches("\\d+"));
        assertThat(second.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(originCount("/media/hit/a")).isEqualTo(1);
    }

    @Test
    void theQueryIsPartOfTheKey() throws Exception {
        get("/media/query/a?exp=1&sig=one");
        assertThat(get("/media/query/a?exp=1&sig=two").headers().firstValue("X-Cache")).as("another signature, another object").hasValue("MISS");
        assertThat(get("/media/query/a?exp=1&sig=one").headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(originCount("/media/query/a?exp=1&sig=one")).isEqualTo(1);
        assertThat(originCount("/media/query/a?exp=1&sig=two")).isEqualTo(1);
    }

    @Test
    void rangesAreServedFromTheWholeObject() throws Exception {
        byte[] whole = get("/media/range/a").body();
        HttpResponse<byte[]> range = get("/media/range/a", "Range", "bytes=0-9");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + whole.length);
        assertThat(range.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(whole, 0, 10));
        assertThat(originCount("/media/range/a")).isEqualTo(1);

        HttpResponse<byte[]> cold = get("/media/range/b", "Range", "bytes=5-9");
        assertThat(cold.statusCode()).as("a Range on a miss").isEqualTo(206);
        assertThat(cold.body()).isEqualTo(Arrays.copyOfRange(body("/media/range/b", 1), 5, 10));
        assertThat(rangeSeen.get("/media/range/b")).as("the origin was asked for the whole object").isEmpty();
        assertThat(get("/media/range/b").headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void privateAnswersAndCredentialedRequestsAreNeverStored() throws Exception {
        get("/private/a");
        assertThat(get("/private/a").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(originCount("/private/a")).isEqualTo(2);

        get("/media/key/a", "X-Api-Key", "mp_test_key");
        assertThat(get("/media/key/a", "X-Api-Key", "mp_test_key").headers().firstValue("X-Cache")).hasValue("MISS");
        get("/media/key/a", "Authorization", "Bearer mp_test_key");
        assertThat(originCount("/media/key/a")).isEqualTo(3);
        assertThat(get("/media/key/a").headers().firstValue("X-Cache")).as("nothing was stored for the credentialed requests").hasValue("MISS");
    }

    @Test
    void varyAcceptKeepsOneVariantPerAccept() throws Exception {
        assertThat(new String(get("/media/vary/auto/320", "Accept", "image/webp,*/*").body(), StandardCharsets.UTF_8)).startsWith("webp");
        assertThat(new String(get("/media/vary/auto/320", "Accept", "image/jpeg").body(), StandardCharsets.UTF_8)).startsWith("jpeg");
        HttpResponse<byte[]> webp = get("/media/vary/auto/320", "Accept", "image/webp,*/*");
        assertThat(webp.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(new String(webp.body(), StandardCharsets.UTF_8)).startsWith("webp");
        assertThat(get("/media/vary/auto/320", "Accept", "image/jpeg").headers().firstValue("X-Cache")).hasValue("HIT");

        purger.purge(List.of("/media/vary/auto/320"));
        assertThat(get("/media/vary/auto/320", "Accept", "image/webp,*/*").headers().firstValue("X-Cache")).as("every variant purged").hasValue("MISS");
        assertThat(get("/media/vary/auto/320", "Accept", "image/jpeg").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(originCount("/media/vary/auto/320")).isEqualTo(4);
    }

    @Test
    void aPurgedPathMissesAndGetsTheOriginsNewAnswer() throws Exception {
        get("/media/purge/a");
        get("/media/purge/a?exp=1&sig=x");
        assertThat(get("/media/purge/a").headers().firstValue("X-Cache")).hasValue("HIT");
        versions.get("/media/purge/a").incrementAndGet();

        purger.purge(List.of("/media/purge/a"));
        HttpResponse<byte[]> after = get("/media/purge/a");
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(after.body()).isEqualTo(body("/media/purge/a", 2));
        assertThat(after.headers().firstValue("ETag")).hasValue("\"v2\"");
        assertThat(originCount("/media/purge/a")).isEqualTo(2);
        assertThat(get("/media/purge/a").headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(get("/media/purge/a?exp=1&sig=x").headers().firstValue("X-Cache")).as("another URL").hasValue("HIT");

        purger.purge(List.of("/media/purge/a?exp=1&sig=x", "/media/purge/never-cached"));
        assertThat(get("/media/purge/a?exp=1&sig=x").headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void aPurgedPrefixMissesEverywhereUnderItAndNowhereElse() throws Exception {
        List<String> under = List.of("/media/ban/v1.0/a", "/media/ban/v1.0/b?exp=1&sig=x", "/media/ban/v1.0/c/d");
        List<String> outside = List.of("/media/ban/v1x0/a", "/media/ban/v1.00/a", "/media/ban/v1.0", "/other/media/ban/v1.0/a");
        for (String path : concat(under, outside)) {
            get(path);
            assertThat(get(path).headers().firstValue("X-Cache")).as(path).hasValue("HIT");
        }

        purger.purgePrefix("/media/ban/v1.0/");
        for (String path : under) {
            assertThat(get(path).headers().firstValue("X-Cache")).as(path).hasValue("MISS");
            assertThat(originCount(path)).as(path).isEqualTo(2);
        }
        for (String path : outside) {
            assertThat(get(path).headers().firstValue("X-Cache")).as("outside the prefix (a '.' is no wildcard): " + path).hasValue("HIT");
            assertThat(originCount(path)).as(path).isEqualTo(1);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static int originCount(String pathAndQuery) {
        return hits.getOrDefault(pathAndQuery, new AtomicInteger()).get();
    }

    private static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edgePort + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What the origin serves for a path at a version: some 60 bytes that name both. */
    private static byte[] body(String path, int version) {
        return ("version " + version + " of " + path + " ").repeat(2).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The origin: {@code /private/...} answers {@code private}, everything else {@code public, max-age=300}
     * with an ETag of its version; {@code /media/vary/...} varies on Accept.
     */
    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String key = path + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            hits.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            rangeSeen.put(path, exchange.getRequestHeaders().getFirst("Range") == null ? "" : exchange.getRequestHeaders().getFirst("Range"));
            int version = versions.computeIfAbsent(path, k -> new AtomicInteger(1)).get();
            byte[] body = body(path, version);
            var headers = exchange.getResponseHeaders();
            if (path.startsWith("/media/vary/")) {
                String accept = exchange.getRequestHeaders().getFirst("Accept");
                body = ((accept != null && accept.contains("image/webp") ? "webp " : "jpeg ") + new String(body, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                headers.add("Vary", "Accept");
            }
            headers.add("Cache-Control", path.startsWith("/private/") ? "private" : "public, max-age=300");
            headers.add("ETag", "\"v" + version + "\"");
            headers.add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
