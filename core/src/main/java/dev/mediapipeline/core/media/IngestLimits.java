package dev.mediapipeline.core.media;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Budgets checked before any decoding, from the file's size and its header.
 *
 * @param maxImageBytes       the largest image file
 * @param maxPixels           width x height of one image or frame (default 50 MP)
 * @param maxAnimationPixels  frames x width x height of an animation
 * @param maxFrames           frames of an animation
 * @param maxSide             the longest side of an image (JPEG encodes at most 65,500 pixels a side)
 */
@Validated
@ConfigurationProperties("media.ingest.limits")
public record IngestLimits(
        @DefaultValue("100MB") @NotNull DataSize maxImageBytes,
        @DefaultValue("50000000") @Min(1) long maxPixels,
        @DefaultValue("500000000") @Min(1) long maxAnimationPixels,
        @DefaultValue("1000") @Min(1) int maxFrames,
        @DefaultValue("65500") @Min(1) int maxSide) {

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public IngestLimits {
    }

    /** The limits before a longest side was one. */
    public IngestLimits(DataSize maxImageBytes, long maxPixels, long maxAnimationPixels, int maxFrames) {
        this(maxImageBytes, maxPixels, maxAnimationPixels, maxFrames, 65500);
    }
}
