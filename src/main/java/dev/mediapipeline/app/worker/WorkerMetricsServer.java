package dev.mediapipeline.app.worker;

import dev.mediapipeline.app.security.AccessProperties;
import dev.mediapipeline.app.security.AdminKeyAuthenticator;
import dev.mediapipeline.core.tenant.Tenants;
import dev.mediapipeline.jobs.remote.PartitionWorker;
import dev.mediapipeline.jobs.remote.WorkerProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker JVM runs no web server, so its metrics (the same {@code media_*} meters as the server's,
 * tagged {@code worker}) are served by Prometheus' own exporter on
 * {@code media.workers.metrics-address:metrics-port} at {@code /metrics}, to an admin key only (as
 * {@code /actuator/prometheus}). Its URL is recorded with the worker ({@code ./media workers} prints it).
 */
public final class WorkerMetricsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerMetricsServer.class);

    private final HTTPServer server;
    private final String url;

    public WorkerMetricsServer(WorkerProperties workers, PrometheusMeterRegistry registry, Tenants tenants, AccessProperties access,
            PartitionWorker worker, JdbcTemplate jdbc) {
        try {
            InetAddress address = InetAddress.getByName(workers.metricsAddress());
            this.server = HTTPServer.builder().inetAddress(address).port(workers.metricsPort()).registry(registry.getPrometheusRegistry())
                    .authenticator(new AdminKeyAuthenticator(tenants, access)).registerHealthHandler(false).buildAndStart();
            String host = address.isAnyLocalAddress() ? WorkerProperties.hostName()
                    : address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            this.url = "http://" + host + ":" + server.getPort() + "/metrics";
        } catch (IOException e) {
            throw new UncheckedIOException("worker metrics on " + workers.metricsAddress() + ":" + workers.metricsPort()
                    + " (media.workers.metrics-address, metrics-port) could not be served", e);
        }
        try {
            jdbc.update("update media_worker set metrics_url = ? where name = ?", url, worker.name());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("worker {} serves its metrics at {} (an admin key)", worker.name(), url);
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.close();
    }
}
