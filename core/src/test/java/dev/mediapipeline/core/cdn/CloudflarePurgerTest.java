package dev.mediapipeline.core.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cloudflare's purge_cache against a loopback server that checks each request as the API reads it
 * (method, path, bearer token, JSON body) and answers as the API does.
 */
@Tag("fast")
class CloudflarePurgerTest {

    static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    static final String TOKEN = "Y2xvdWRmbGFyZS10b2tlbi1mb3ItdGVzdHM";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String OK = """
            {"success": true, "errors": [], "messages": [], "result": {"id": "023e105f4ecef8ad9ca31a8372d0c353"}}""";

    /** One request as the server read it. */
    record Request(String method, String path, String authorization, String contentType, JsonNode body) {
    }

    /** A scripted answer. */
    record Answer(int status, String body) {
    }

    HttpServer server;
    CloudflarePurger purger;
    final List<Request> received = Collections.synchronizedList(new ArrayList<>());
    final Deque<Answer> answers = new ConcurrentLinkedDeque<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        purger = new CloudflarePurger(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), ZONE, TOKEN,
                URI.create("https://media.example.com"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void filesAreTheZonesPublicUrls() throws Exception {
        purger.purge(List.of("/media/a b/é.jpg", "/media/x/jpeg/320?exp=1700000000&sig=abc"));
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/client/v4/zones/" + ZONE + "/purge_cache");
            assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(request.contentType()).isEqualTo("application/json");
            assertThat(request.body()).isEqualTo(JSON.readTree("""
                    {"files": ["https://media.example.com/media/a%20b/%C3%A9.jpg", "https://media.example.com/media/x/jpeg/320?exp=1700000000&sig=abc"]}"""));
        });
    }

    @Test
    void aPrefixHasNoScheme() throws Exception {
        purger.purgePrefix("/streams/abc/");
        assertThat(received).singleElement().satisfies(request ->
                assertThat(request.body()).isEqualTo(JSON.readTree("{\"prefixes\": [\"media.example.com/streams/abc/\"]}")));
    }

    @Test
    void atMostThirtyUrlsARequest() throws Exception {
        purger.purge(new PurgeBatch("purge-7", IntStream.range(0, 31).mapToObj(n -> "/media/" + n + "/original").toList(),
                IntStream.range(0, 31).mapToObj(n -> "/streams/" + n + "/").toList()));
        assertThat(received).hasSize(4);
        assertThat(received.get(0).body().path("files").size()).isEqualTo(30);
        assertThat(strings(received.get(1).body().path("files"))).containsExactly("https://media.example.com/media/30/original");
        assertThat(received.get(2).body().path("prefixes").size()).isEqualTo(30);
        assertThat(strings(received.get(3).body().path("prefixes"))).containsExactly("media.example.com/streams/30/");
    }

    @Test
    void rateLimitsAndServerFaultsAreRetryableRefusalsAreNot() {
        answers.add(new Answer(500, "{\"success\": false, \"errors\": [{\"code\": 10000, \"message\": \"Internal error\"}], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("500", "10000 Internal error");
        });
        answers.add(new Answer(429, "{\"success\": false, \"errors\": [{\"code\": 971, \"message\": \"Please wait and consider throttling your request speed\"}], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class,
                e -> assertThat(e.retryable()).isTrue());
        answers.add(new Answer(400, "{\"success\": false, \"errors\": [{\"code\": 1012, \"message\": \"Request must contain one of \\\"purge_everything\\\", \\\"files\\\", \\\"tags\\\", \\\"hosts\\\" or \\\"prefixes\\\"\"}], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("400", "1012");
        });
        answers.add(new Answer(403, "{\"success\": false, \"errors\": [{\"code\": 10000, \"message\": \"Authentication error\"}], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class,
                e -> assertThat(e.retryable()).isFalse());
        answers.add(new Answer(200, "{\"success\": false, \"errors\": [], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).as("200 without success is no purge").isInstanceOf(PurgeException.class);
        answers.add(new Answer(502, "<html>Bad gateway</html>"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("502", "Bad gateway");
        });
    }

    @Test
    void anAnswerOver64KBIsNotRead() {
        answers.add(new Answer(200, "{\"success\": true, \"padding\": \"" + "x".repeat(100_000) + "\"}"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("exceeds");
        });
    }

    @Test
    void aBatchStopsAtItsFirstRefusal() {
        answers.add(new Answer(200, OK));
        answers.add(new Answer(503, "{\"success\": false, \"errors\": [], \"messages\": [], \"result\": null}"));
        assertThatThrownBy(() -> purger.purge(IntStream.range(0, 61).mapToObj(n -> "/m/" + n).toList()))
                .isInstanceOfSatisfying(PurgeException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(received).as("the third request is not sent").hasSize(2);
    }

    private static List<String> strings(JsonNode array) {
        return array.values().stream().map(JsonNode::asString).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readNBytes(1 << 20);
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    JSON.readTree(body)));
            Answer scripted = answers.poll();
            byte[] bytes = (scripted == null ? OK : scripted.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(scripted == null ? 200 : scripted.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }
}
