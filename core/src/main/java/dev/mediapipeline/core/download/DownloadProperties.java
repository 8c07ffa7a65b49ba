package dev.mediapipeline.core.download;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Batch downloads ({@code media.downloads}).
 *
 * @param partSize   size of each multipart-upload part of an archive (at least 5 MB, S3's minimum)
 * @param linkExpiry how long a download link works
 * @param prefix     where archives go in the published bucket
 */
@ConfigurationProperties("media.downloads")
public record DownloadProperties(@DefaultValue("16MB") DataSize partSize, @DefaultValue("24h") Duration linkExpiry,
        @DefaultValue("downloads/") String prefix) {
}
