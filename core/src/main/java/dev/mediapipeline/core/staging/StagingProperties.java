package dev.mediapipeline.core.staging;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Staging uploads.
 *
 * @param maxUploadSize   the largest Upload-Length accepted (413 above)
 * @param expiry          how long an unfinished upload lives after its last accepted chunk
 * @param cleanupInterval how often expired uploads and their chunks are removed
 * @param corsAllowedOrigins web origins whose pages may upload from a browser (tus-js-client, Uppy);
 *                           none by default
 * @param minChunkSize    the smallest body a PATCH that does not finish its upload may carry (256 KiB;
 *                        TUSKit sends 500 KB, tus-java-client 2 MB, tus-js-client and Uppy the whole
 *                        file), so that tiny chunks cannot flood the staging bucket and the database;
 *                        a body cut off by a lost connection is kept whatever its size
 * @param minFreeSpace    what the temp area (under media.home) keeps free: a body that would leave less
 *                        is refused with 507 before it is spooled, so uploads cannot fill the disk the
 *                        jobs work on
 */
@Validated
@ConfigurationProperties("media.staging")
public record StagingProperties(
        @DefaultValue("5GB") @NotNull DataSize maxUploadSize,
        @DefaultValue("24h") @NotNull Duration expiry,
        @DefaultValue("15m") @NotNull Duration cleanupInterval,
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue("256KB") @NotNull DataSize minChunkSize,
        @DefaultValue("1GB") @NotNull DataSize minFreeSpace) {
}
