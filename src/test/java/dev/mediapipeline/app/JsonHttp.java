package dev.mediapipeline.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A JSON client of the application's REST API, as any HTTP client would call it. */
public final class JsonHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    /** the API key every request carries, or null for none */
    private final String key;

    public JsonHttp(int port, String key) {
        this("http://localhost:" + port, key);
    }

    private JsonHttp(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The same client with another key (null: none). */
    public JsonHttp as(String otherKey) {
        return new JsonHttp(base, otherKey);
    }

    public record Reply(int status, String contentType, String location, JsonNode body, java.net.http.HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** Any method, with or without a JSON body. */
    public Reply request(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Polls an execution's status until it is no longer running (3 minutes at most), and returns it. */
    public JsonNode awaitEnd(long executionId) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofMinutes(3));
        while (java.time.Instant.now().isBefore(deadline)) {
            Reply status = get("/jobs/executions/" + executionId);
            if (status.status() != 200) {
                throw new AssertionError("status of execution " + executionId + ": " + status.status() + " " + status.body());
            }
            String state = status.body().get("status").asString();
            if (!state.equals("STARTING") && !state.equals("STARTED") && !state.equals("STOPPING")) {
                return status.body();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("execution " + executionId + " did not end within 3 minutes");
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> response = client.send(request.header("Accept", "application/json, application/problem+json").build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            return new Reply(response.statusCode(), contentType, response.headers().firstValue("Location").orElse(null),
                    body == null || body.isBlank() || !contentType.contains("json") ? JSON.nullNode() : JSON.readTree(body),
                    response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
