package dev.mediapipeline.jobs.remote;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where partitions run ({@code media.workers.*}).
 *
 * @param mode              {@code local}: in the process that runs the job, as many at once as
 *                          {@code media.ingest.threads}; {@code remote}: one request per partition through the
 *                          broker, run by worker JVMs ({@code ./media worker})
 * @param name              this worker's name (default: host and process id)
 * @param concurrency       partitions one worker JVM runs at once
 * @param heartbeatInterval how often a worker renews its partition's lease and its own
 * @param leaseTimeout      a partition whose lease went unrenewed this long has lost its worker: it is
 *                          failed if no worker took it over within another such period
 * @param startTimeout      how long a partition may wait for any worker to take it
 * @param pollInterval      how often the manager reads its partitions' states
 * @param metricsPort       a worker JVM's Prometheus endpoint ({@code /metrics}, an admin key like
 *                          {@code /actuator/prometheus}): its port, 0 for any free one; none when unset
 * @param metricsAddress    the address it listens on (loopback unless set)
 */
@Validated
@ConfigurationProperties("media.workers")
public record WorkerProperties(
        @DefaultValue("local") Mode mode,
        @DefaultValue("") String name,
        @DefaultValue("1") @Min(1) int concurrency,
        @DefaultValue("3s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration leaseTimeout,
        @DefaultValue("10m") Duration startTimeout,
        @DefaultValue("1s") Duration pollInterval,
        @jakarta.validation.constraints.Max(65535) @Min(0) Integer metricsPort,
        @DefaultValue("127.0.0.1") String metricsAddress) {

    public enum Mode {
        LOCAL, REMOTE
    }

    /** The queue partition requests go through. */
    public static final String QUEUE = "media.partitions";

    public String workerName() {
        return name.isBlank() ? hostName() + "-" + ProcessHandle.current().pid() : name;
    }

    /**
     * The {@code worker} tag of this process's metrics: {@code media.workers.name}, else the host's
     * name. Not the process id, so that a restart continues the same series; two JVMs on one host
     * without names are told apart by the scrape's own {@code instance}.
     */
    public String metricsTag() {
        return name.isBlank() ? hostName() : name;
    }

    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
