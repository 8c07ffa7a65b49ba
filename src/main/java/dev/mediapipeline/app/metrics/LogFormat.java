package dev.mediapipeline.app.metrics;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code media.log.format}: {@code text} (the default, Spring Boot's console lines) or {@code json}:
 * one JSON object per line (Spring Boot's structured logging in the Logstash layout), with the
 * key-value pairs of each line as fields, so that the item outcome lines of logger
 * {@code media.items} ({@code job}, {@code jobExecution}, {@code tenant}, {@code upload},
 * {@code outcome}, {@code reason}, {@code detail}) can be queried as they are. Read after the
 * configuration files and before logging starts; an explicit {@code logging.structured.format.console}
 * wins.
 */
public class LogFormat implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "media.log.format";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "text").strip().toLowerCase(java.util.Locale.ROOT);
        switch (format) {
            case "text" -> {
                // Spring Boot's own console lines
            }
            case "json" -> {
                if (!environment.containsProperty("logging.structured.format.console")) {
                    environment.getPropertySources().addLast(new MapPropertySource("media-log-format",
                            Map.of("logging.structured.format.console", "logstash")));
                }
            }
            default -> throw new IllegalArgumentException(PROPERTY + " must be text or json, not '" + format + "'");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read
    }
}
