package dev.mediapipeline.core.scan;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where clamd listens. {@code scripts/clamd start} runs one on 127.0.0.1:3310 with the project's
 * test signatures; production points this at a clamd kept current by freshclam.
 * @param scanTimeout the deadline of one whole exchange, writes included: a clamd that stops reading
 *                    cannot hold a partition (a socket read timeout does not cover writes)
 * @param streamMaxLength clamd's StreamMaxLength as configured there (scripts/clamd: 512M): the check at
 *                    the ingest's start sends streams of this size and one byte more
 * @param verifyLimits whether the ingest checks, before it starts, that clamd never answers OK to what
 *                    it did not scan ({@link ScannerLimitsCheck}); off only for a scanner that is not clamd
 * @param verifyInterval how long a passed check of one clamd (address and version) holds, for every
 *                    process on the database
 */
@Validated
@ConfigurationProperties("media.clamd")
public record ClamdProperties(
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("3310") @Min(1) @Max(65535) int port,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration readTimeout,
        @DefaultValue("64KB") @NotNull DataSize chunkSize,
        @DefaultValue("15m") @NotNull Duration scanTimeout,
        @DefaultValue("512MB") @NotNull DataSize streamMaxLength,
        @DefaultValue("true") boolean verifyLimits,
        @DefaultValue("24h") @NotNull Duration verifyInterval) {

    /** Without a deadline for the whole exchange, as before it had one. */
    public ClamdProperties(String host, int port, Duration connectTimeout, Duration readTimeout, DataSize chunkSize) {
        this(host, port, connectTimeout, readTimeout, chunkSize, Duration.ofMinutes(15));
    }

    /** With the defaults of the limits check. */
    public ClamdProperties(String host, int port, Duration connectTimeout, Duration readTimeout, DataSize chunkSize, Duration scanTimeout) {
        this(host, port, connectTimeout, readTimeout, chunkSize, scanTimeout, DataSize.ofMegabytes(512), true, Duration.ofHours(24));
    }

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public ClamdProperties {
    }
}
