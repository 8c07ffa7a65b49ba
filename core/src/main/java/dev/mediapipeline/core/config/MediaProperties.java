package dev.mediapipeline.core.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The media home: the embedded PostgreSQL data, the embedded S3 objects and the bounded temp
 * directory all live under it, so that a restart finds everything where it was.
 */
@Validated
@ConfigurationProperties("media")
public record MediaProperties(@NotNull Path home) {

    public Path tempDirectory() {
        return home.resolve("tmp");
    }
}
