package dev.mediapipeline.core.media;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How videos are checked and packaged ({@code media.video}).
 *
 * @param maxBytes         the largest video upload
 * @param maxDuration      the longest video
 * @param maxWidth, maxHeight the largest coded picture
 * @param segmentDuration  the target length of a segment; segments are cut at the first keyframe at
 *                         or after it, so a video with sparse keyframes gets longer ones
 * @param posterPosition   where the poster frame is taken, as a fraction of the duration (the keyframe nearest it)
 * @param ffmpeg           the ffmpeg executable; when it is not there, videos are packaged as uploaded
 *                         (passthrough) and what cannot be is refused with its reason
 * @param ladder           the heights of the encoded renditions when ffmpeg is there, never above the
 *                         source's; empty for passthrough only
 * @param encodeTimeout    the longest an ffmpeg run may take; also, times {@code encodeThreads}, the CPU
 *                         seconds the process may use (a kernel limit, which holds even if this JVM dies
 *                         and cannot kill it)
 * @param encodeMaxBytes   the largest file an ffmpeg run may write
 * @param encodeMaxMemory  the address space an ffmpeg or ffprobe process may map (a kernel limit), so a
 *                         hostile stream cannot make the decoder take the machine's memory. Measured with
 *                         libx264 veryfast: 1080p needs about 0.75 GB, a 1080/720/360 ladder 1 GB, 2160p
 *                         and its ladder 1.5-2 GB, 4320p (the default maxWidth x maxHeight) between 3 and
 *                         4 GB; lower it together with those if the machine is small
 * @param encodeThreads    the threads ffmpeg may use for decoding, filtering and encoding (each), so one
 *                         encode cannot take every core
 * @param maxStreams       the most streams (video, audio, subtitles, data, attachments) a video that is
 *                         not MP4/MOV may declare before it is re-encoded
 * @param ffprobe          the ffprobe executable; when not set, the one next to {@code ffmpeg}
 *                         ({@code ffmpeg} replaced by {@code ffprobe} in its file name)
 */
@Validated
@ConfigurationProperties("media.video")
public record VideoProfile(
        @DefaultValue("4GB") @NotNull DataSize maxBytes,
        @DefaultValue("3h") @NotNull Duration maxDuration,
        @DefaultValue("7680") @Min(16) int maxWidth,
        @DefaultValue("4320") @Min(16) int maxHeight,
        @DefaultValue("4s") @NotNull Duration segmentDuration,
        @DefaultValue("0.1") @Min(0) @Max(1) double posterPosition,
        @DefaultValue("ffmpeg") @NotNull String ffmpeg,
        @DefaultValue({}) @NotNull List<@Min(144) @Max(4320) Integer> ladder,
        @DefaultValue("2h") @NotNull Duration encodeTimeout,
        @DefaultValue("8GB") @NotNull DataSize encodeMaxBytes,
        @DefaultValue("4GB") @NotNull DataSize encodeMaxMemory,
        @DefaultValue("2") @Min(1) @Max(64) int encodeThreads,
        @DefaultValue("16") @Min(1) int maxStreams,
        String ffprobe) {

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public VideoProfile {
    }

    /** The profile before ffmpeg's memory, threads and stream count were limited: those take their defaults. */
    public VideoProfile(DataSize maxBytes, Duration maxDuration, int maxWidth, int maxHeight, Duration segmentDuration,
            double posterPosition, String ffmpeg, List<Integer> ladder, Duration encodeTimeout, DataSize encodeMaxBytes) {
        this(maxBytes, maxDuration, maxWidth, maxHeight, segmentDuration, posterPosition, ffmpeg, ladder, encodeTimeout,
                encodeMaxBytes, DataSize.ofGigabytes(4), 2, 16, null);
    }

    public static VideoProfile defaults() {
        return new VideoProfile(DataSize.ofGigabytes(4), Duration.ofHours(3), 7680, 4320, Duration.ofSeconds(4), 0.1,
                "ffmpeg", List.of(), Duration.ofHours(2), DataSize.ofGigabytes(8), DataSize.ofGigabytes(4), 2, 16, null);
    }

    /** Identifies the packaging in lineage. */
    public String hash() {
        String canonical = "video-v1;segment=" + segmentDuration.toMillis() + ";ladder=" + ladder.stream().sorted().toList();
        return dev.mediapipeline.core.storage.Sha256.hex(dev.mediapipeline.core.storage.Sha256.newDigest()
                .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
    }
}
