package dev.mediapipeline.app.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A worker JVM ({@code media.workers.role=worker}) given no database, S3 or broker takes, for each one
 * not configured, the server's embedded one from {@code <media.home>/services.properties} (see
 * {@link ServicesFile}): {@code ./media serve} and {@code ./media worker} on one machine with the same
 * home need no settings. Anything configured wins; a worker on another machine is configured by URL.
 */
public class WorkerServices implements EnvironmentPostProcessor, Ordered {

    /** Which configured property stands for a service: a worker with it set takes none of that service's keys from the file. */
    private static final Map<String, String> SERVICE_OF = Map.of("spring.datasource.url", "spring.datasource.",
            "media.s3.endpoint", "media.s3.", "media.broker.url", "media.broker.");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!"worker".equals(environment.getProperty("media.workers.role"))) {
            return;
        }
        String home = environment.getProperty("media.home");
        if (home == null || home.isBlank()) {
            return;
        }
        Map<String, String> taken = new LinkedHashMap<>();
        for (Map.Entry<String, String> service : ServicesFile.read(Path.of(home)).entrySet()) {
            boolean configured = SERVICE_OF.entrySet().stream().anyMatch(s -> service.getKey().startsWith(s.getValue())
                    && !environment.getProperty(s.getKey(), "").isBlank());
            if (!configured) {
                taken.put(service.getKey(), service.getValue());
            }
        }
        if (!taken.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("media-server-services (" + home + "/" + ServicesFile.NAME + ")",
                    Map.copyOf(taken)));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read: media.home and the URLs as configured
    }
}
