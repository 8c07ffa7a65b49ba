package dev.mediapipeline.core.storage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the objects live. With no {@code endpoint} the application starts S3Proxy in-process (the
 * embedded default); with one it talks to that S3-compatible service (AWS, R2, MinIO). Without
 * keys the AWS default credential chain applies.
 */
@Validated
@ConfigurationProperties("media.s3")
public record S3Properties(
        URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        @DefaultValue("false") boolean pathStyle,
        String accessKey,
        String secretKey,
        @DefaultValue("true") boolean createBuckets,
        @DefaultValue @Valid @NotNull Buckets buckets) {

    public record Buckets(
            @DefaultValue("media-staging") @NotBlank String staging,
            @DefaultValue("media-final") @NotBlank String published,
            @DefaultValue("media-quarantine") @NotBlank String quarantine) {
    }
}
