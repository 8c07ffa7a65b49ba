package dev.mediapipeline.core.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ActiveMQ Artemis broker in-process, accepting the core protocol on a loopback port: the
 * embedded default's broker for remote partitioning. With a directory its messages are persistent
 * (journal, bindings, paging) and survive a restart; without one they are held in memory (tests). A
 * message whose consumer goes away unacknowledged (a worker killed) is delivered again, after a second;
 * after ten deliveries it goes to {@code DLQ}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedActiveMQ server;
    private final int port;

    private EmbeddedBroker(EmbeddedActiveMQ server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port} (0: a free port).
     *
     * @param directory where persistent messages live; null for none (in memory)
     */
    public static EmbeddedBroker start(int port, Path directory) {
        int chosen = port > 0 ? port : freePort();
        Configuration config = new ConfigurationImpl()
                .setName("media-pipeline")
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setPersistenceEnabled(directory != null)
                .setCriticalAnalyzer(false);
        if (directory != null) {
            config.setJournalDirectory(directory.resolve("journal").toString())
                    .setBindingsDirectory(directory.resolve("bindings").toString())
                    .setPagingDirectory(directory.resolve("paging").toString())
                    .setLargeMessagesDirectory(directory.resolve("large-messages").toString());
        }
        try {
            config.addAcceptorConfiguration("loopback", "tcp://127.0.0.1:" + chosen);
        } catch (Exception e) {
            throw new IllegalStateException("the broker's acceptor on 127.0.0.1:" + chosen + " cannot be configured", e);
        }
        config.addAddressSetting("#", new AddressSettings()
                .setRedeliveryDelay(1000)
                .setMaxDeliveryAttempts(10)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded ActiveMQ Artemis broker did not start on 127.0.0.1:" + chosen, e);
        }
        log.info("embedded ActiveMQ Artemis on tcp://127.0.0.1:{} ({})", chosen, directory == null ? "in memory" : "persistent under " + directory);
        return new EmbeddedBroker(server, chosen);
    }

    /** How many consumers listen on a queue now (0 when it does not exist yet). */
    public int consumers(String queue) {
        var found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getConsumerCount();
    }

    /** The URL clients connect with. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("the embedded broker did not stop cleanly: {}", e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
