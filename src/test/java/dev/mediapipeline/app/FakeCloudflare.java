package dev.mediapipeline.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cloudflare's purge API, which cannot run here: a loopback server in its place for the application
 * tests (the shared context purges it beside the Varnish edge). It accepts only the exact request
 * Cloudflare documents ({@code POST /client/v4/zones/{zone}/purge_cache}, the token as a Bearer,
 * a JSON body) and records each body; a test can make it fail as Cloudflare does when it is
 * overloaded (503), to see a purge retried.
 */
public final class FakeCloudflare {

    public static final String ZONE = "0123456789abcdef0123456789abcdef";
    public static final String TOKEN = "test-purge-token";
    public static final String PUBLIC_HOST = "https://media.example.com";

    private static final HttpServer SERVER = start();
    private static final List<String> BODIES = new CopyOnWriteArrayList<>();
    private static final List<String> REFUSED = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean FAILING = new AtomicBoolean();

    private FakeCloudflare() {
    }

    public static String api() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort();
    }

    /** The JSON bodies of the purges it acknowledged, in order. */
    public static List<String> acknowledged() {
        return List.copyOf(BODIES);
    }

    /** Requests it refused as not what Cloudflare takes (a test expects none). */
    public static List<String> refused() {
        return List.copyOf(REFUSED);
    }

    /** While true, every purge answers 503 as an overloaded API does. */
    public static void failing(boolean failing) {
        FAILING.set(failing);
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                }
                String problem = null;
                if (!exchange.getRequestMethod().equals("POST")) {
                    problem = "method " + exchange.getRequestMethod();
                } else if (!exchange.getRequestURI().getRawPath().equals("/client/v4/zones/" + ZONE + "/purge_cache")) {
                    problem = "path " + exchange.getRequestURI();
                } else if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    problem = "authorization " + exchange.getRequestHeaders().getFirst("Authorization");
                } else if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                    problem = "content type " + exchange.getRequestHeaders().getFirst("Content-Type");
                } else if (!body.matches("\\{\"(files|prefixes)\":\\[\"[^\"]+\"(,\"[^\"]+\")*]}")) {
                    problem = "body " + body;
                }
                int status;
                String answer;
                if (problem != null) {
                    REFUSED.add(problem);
                    status = 400;
                    answer = "{\"success\":false,\"errors\":[{\"code\":1012,\"message\":\"" + problem.replace("\"", "'") + "\"}],\"messages\":[],\"result\":null}";
                } else if (FAILING.get()) {
                    status = 503;
                    answer = "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"service unavailable\"}],\"messages\":[],\"result\":null}";
                } else {
                    BODIES.add(body);
                    status = 200;
                    answer = "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"" + ZONE + "\"}}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
