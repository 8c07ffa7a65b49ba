package dev.mediapipeline.app;

import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * The CDN edge of the application tests: a real Varnish ({@code scripts/varnish}, {@code scripts/edge.vcl})
 * in front of the shared context's web server, started once per test JVM on a port chosen before the
 * context starts (the context purges it: {@code media.cdn.varnish.edge}), and stopped when the JVM exits.
 */
public final class Edge {

    static final Path DIR = TestServices.repoRoot().resolve("target/varnish-app-test");
    /** The edge's port, fixed before any context starts. */
    public static final int PORT = freePort();
    /** What the edge sends on its fetches from the origin ({@code media.usage.edge-secret}). */
    public static final String SECRET = "edge-" + java.util.UUID.randomUUID().toString().replace("-", "");
    /** The edge's access log ({@code media.usage.edge-log}). */
    public static final Path LOG = DIR.resolve("access.log");

    private static int backend = -1;

    private Edge() {
    }

    /** Starts the edge in front of {@code backendPort} unless it runs already (in front of it). */
    static synchronized void ensureStarted(int backendPort) {
        if (backend == backendPort) {
            return;
        }
        TestServices.run(List.of(script(), "start", "--port", Integer.toString(PORT), "--backend", "127.0.0.1:" + backendPort, "--dir",
                DIR.toString(), "--edge-secret", SECRET), 120);
        if (backend == -1) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestServices.run(List.of(script(), "stop", "--dir", DIR.toString()), 60)));
        }
        backend = backendPort;
    }

    /** The edge's URL of a path. */
    public static String url(String pathAndQuery) {
        return "http://127.0.0.1:" + PORT + pathAndQuery;
    }

    private static String script() {
        return TestServices.repoRoot().resolve("scripts/varnish").toString();
    }

    private static int freePort() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
