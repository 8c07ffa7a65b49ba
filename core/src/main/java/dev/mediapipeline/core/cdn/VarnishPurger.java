package dev.mediapipeline.core.cdn;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * Purges a Varnish edge running {@code scripts/edge.vcl}: {@code PURGE <path>} drops one URL with
 * every variant of it (200; 404 from an edge that had nothing is as good), and {@code BAN} with
 * {@code X-Ban-Prefix: <prefix>} drops every object whose URL begins with the prefix. The edge takes
 * both from loopback only and answers 405 to anyone else: the application runs beside its edge.
 */
public final class VarnishPurger implements Purger {

    private final String edge;
    private final HttpClient http = PurgeHttp.client();

    /** @param edge the edge's own address, {@code http://127.0.0.1:8081} (no path) */
    public VarnishPurger(URI edge) {
        if (edge == null || !"http".equals(edge.getScheme()) || edge.getHost() == null
                || (edge.getRawPath() != null && !edge.getRawPath().isEmpty() && !edge.getRawPath().equals("/")) || edge.getRawQuery() != null) {
            throw new IllegalArgumentException("the Varnish edge is an http://host:port address without a path, not " + edge);
        }
        String text = edge.toString();
        this.edge = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public String name() {
        return "varnish";
    }

    @Override
    public void purge(PurgeBatch batch) throws PurgeException {
        for (String path : batch.paths()) {
            HttpRequest request = PurgeHttp.request(URI.create(edge + path)).method("PURGE", HttpRequest.BodyPublishers.noBody()).build();
            check(PurgeHttp.send(http, request, "PURGE " + edge + path), "PURGE " + path, true);
        }
        for (String prefix : batch.prefixes()) {
            HttpRequest request = PurgeHttp.request(URI.create(edge + "/")).method("BAN", HttpRequest.BodyPublishers.noBody())
                    .header("X-Ban-Prefix", prefix).build();
            check(PurgeHttp.send(http, request, "BAN " + prefix + " at " + edge), "BAN " + prefix, false);
        }
    }

    private void check(PurgeHttp.Answer answer, String what, boolean notFoundIsDone) throws PurgeException {
        int status = answer.status();
        if (status == 200 || (notFoundIsDone && status == 404)) {
            return;
        }
        if (status == 405) {
            throw new PurgeException(what + ": the edge " + edge + " refused it (405): it takes PURGE and BAN from loopback only", false);
        }
        throw new PurgeException(what + ": the edge " + edge + " answered " + status + ": " + PurgeHttp.excerpt(answer.body()), status >= 500);
    }
}
