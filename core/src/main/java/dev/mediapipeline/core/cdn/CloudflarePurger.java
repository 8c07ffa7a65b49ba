package dev.mediapipeline.core.cdn;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Purges a Cloudflare zone: {@code POST {api}/client/v4/zones/{zone}/purge_cache} with an API token
 * ({@code Authorization: Bearer}), {@code {"files": ["https://host/path", ...]}} for exact URLs and
 * {@code {"prefixes": ["host/path/prefix", ...]}} for prefixes (Cloudflare's prefix form has no scheme),
 * at most {@value #MAX_PER_REQUEST} of either per request. The URLs are the zone's public host (from
 * configuration) followed by the encoded path ({@link PurgeBatch}).
 *
 * <p>Done when the API answers 2xx with {@code "success": true}. A 429 (rate limit), a 5xx or no answer
 * is retryable; any other refusal (a bad token, an unknown zone, a malformed URL) is not. The answer is
 * read up to 64 KB.
 */
public final class CloudflarePurger implements Purger {

    /** Cloudflare's API, the default base. */
    public static final URI API = URI.create("https://api.cloudflare.com");
    static final int MAX_PER_REQUEST = 30;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String token;
    private final String publicBase;
    private final String prefixBase;
    private final HttpClient http = PurgeHttp.client();

    /**
     * @param api        the API's base, {@link #API} when null (a loopback server in tests)
     * @param zone       the zone id
     * @param token      an API token allowed to purge the zone's cache
     * @param publicHost the zone's public address the media URLs are served from, {@code https://media.example.com}
     */
    public CloudflarePurger(URI api, String zone, String token, URI publicHost) {
        URI base = api == null ? API : api;
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("the Cloudflare API base is an absolute http(s) URL, not " + api);
        }
        if (zone == null || !zone.matches("[A-Za-z0-9]{1,64}")) {
            throw new IllegalArgumentException("a Cloudflare zone id is letters and digits (32 hex digits), not " + zone);
        }
        if (token == null || token.isBlank() || !token.matches("[\\x21-\\x7e]+")) {
            throw new IllegalArgumentException("a Cloudflare API token is one word of printable ASCII");
        }
        if (publicHost == null || !("https".equals(publicHost.getScheme()) || "http".equals(publicHost.getScheme())) || publicHost.getHost() == null
                || (publicHost.getRawPath() != null && !publicHost.getRawPath().isEmpty() && !publicHost.getRawPath().equals("/"))
                || publicHost.getRawQuery() != null) {
            throw new IllegalArgumentException("the zone's public host is an https://host address without a path, not " + publicHost);
        }
        String apiBase = base.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(apiBase + "/client/v4/zones/" + zone + "/purge_cache");
        this.token = token;
        this.publicBase = publicHost.getScheme() + "://" + publicHost.getRawAuthority();
        this.prefixBase = publicHost.getRawAuthority();
    }

    @Override
    public String name() {
        return "cloudflare";
    }

    @Override
    public void purge(PurgeBatch batch) throws PurgeException {
        List<String> files = batch.paths().stream().map(path -> publicBase + path).toList();
        List<String> prefixes = batch.prefixes().stream().map(prefix -> prefixBase + prefix).toList();
        send("files", files);
        send("prefixes", prefixes);
    }

    private void send(String kind, List<String> all) throws PurgeException {
        for (int from = 0; from < all.size(); from += MAX_PER_REQUEST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + MAX_PER_REQUEST));
            HttpRequest request = PurgeHttp.request(endpoint)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of(kind, part))))
                    .build();
            String what = "Cloudflare purge of " + part.size() + " " + kind + " (" + part.getFirst() + (part.size() > 1 ? ", ..." : "") + ")";
            check(PurgeHttp.send(http, request, what), what);
        }
    }

    private static void check(PurgeHttp.Answer answer, String what) throws PurgeException {
        int status = answer.status();
        JsonNode body = null;
        try {
            body = JSON.readTree(answer.body());
        } catch (JacksonException e) {
            // not JSON (a proxy's error page): the status decides, the excerpt tells
        }
        boolean success = body != null && body.path("success").isBoolean() && body.path("success").booleanValue();
        if (status >= 200 && status < 300 && success) {
            return;
        }
        boolean retryable = status == 429 || status >= 500;
        throw new PurgeException(what + ": Cloudflare answered " + status + (body == null ? ": " + PurgeHttp.excerpt(answer.body()) : ": " + errors(body)),
                retryable);
    }

    /** Cloudflare's {@code errors}: {@code [{"code": 10000, "message": "Authentication error"}]}, as {@code 10000 Authentication error; ...}. */
    private static String errors(JsonNode body) {
        StringBuilder text = new StringBuilder();
        for (JsonNode error : body.path("errors").values()) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(error.path("code").asString("")).append(' ').append(error.path("message").asString(""));
        }
        return text.isEmpty() ? "success " + body.path("success").asString("missing") : text.toString().strip();
    }
}
