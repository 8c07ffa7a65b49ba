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
 * @param maxBytes   the largest archive one download may make (its members' bytes): a larger selection is
 *                   refused when it is frozen, before anything is written
 * @param maxEntries the most members one download may hold (asset ids in one request are bounded by it too)
 */
@ConfigurationProperties("media.downloads")
public record DownloadProperties(@DefaultValue("16MB") DataSize partSize, @DefaultValue("24h") Duration linkExpiry,
        @DefaultValue("downloads/") String prefix, @DefaultValue("20GB") DataSize maxBytes, @DefaultValue("100000") int maxEntries) {
}
