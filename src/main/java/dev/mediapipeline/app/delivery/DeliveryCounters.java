package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.metrics.PipelineMetrics;
import dev.mediapipeline.core.usage.UsageMeter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Counts each answer of the delivery routes twice over: in the delivery metrics (route, format,
 * answer) and in the tenant's usage ({@link UsageMeter}, in memory, flushed to PostgreSQL). An answer
 * the client never got (416) is no usage. A request that carries the edge's secret
 * ({@code X-Edge-Secret}, {@code media.usage.edge-secret}, which {@code scripts/varnish --edge-secret}
 * sets on the edge's fetches) is counted as the edge's fetch: the edge's own log counts what reached
 * the client. The secret classifies; it grants nothing.
 */
@Component
class DeliveryCounters {

    static final String EDGE_SECRET_HEADER = "X-Edge-Secret";

    private final PipelineMetrics metrics;
    private final UsageMeter usage;
    private final byte[] edgeSecret;

    DeliveryCounters(PipelineMetrics metrics, UsageMeter usage, @Value("${media.usage.edge-secret:}") String edgeSecret) {
        this.metrics = metrics;
        this.usage = usage;
        this.edgeSecret = edgeSecret.isEmpty() ? null : edgeSecret.getBytes(StandardCharsets.UTF_8);
    }

    void count(HttpServletRequest request, String route, String format, UsageMeter.Subject subject, String answer, long bytes) {
        metrics.delivered(route, format, answer, bytes);
        if (!answer.equals("unsatisfiable")) {
            usage.delivered(subject, format, edgeFetch(request), bytes);
        }
    }

    private boolean edgeFetch(HttpServletRequest request) {
        String presented = request.getHeader(EDGE_SECRET_HEADER);
        return edgeSecret != null && presented != null
                && MessageDigest.isEqual(edgeSecret, presented.getBytes(StandardCharsets.UTF_8));
    }
}
