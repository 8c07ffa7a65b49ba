package dev.mediapipeline.core.media;

import dev.mediapipeline.core.storage.Sha256;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which renditions an image gets: one per width (never wider than the source), each in JPEG (PNG
 * when the image has transparency) and WebP.
 *
 * @param fit         CONTAIN keeps the whole picture; COVER crops the centre to {@code coverAspect}
 * @param coverAspect width / height of COVER renditions
 */
@Validated
@ConfigurationProperties("media.renditions")
public record RenditionProfile(
        @DefaultValue({"320", "640", "1280", "2048"}) @NotEmpty List<@Min(16) @Max(16384) Integer> widths,
        @DefaultValue("CONTAIN") @NotNull Fit fit,
        @DefaultValue("1.0") double coverAspect,
        @DefaultValue("80") @Min(1) @Max(100) int jpegQuality,
        @DefaultValue("80") @Min(1) @Max(100) int webpQuality,
        @DefaultValue("4") @Min(0) @Max(6) int webpMethod) {

    public enum Fit { CONTAIN, COVER }

    public static RenditionProfile defaults() {
        return new RenditionProfile(List.of(320, 640, 1280, 2048), Fit.CONTAIN, 1.0, 80, 80, 4);
    }

    /** Identifies the profile in lineage: two runs with the same hash made the same renditions. */
    public String hash() {
        String canonical = "v1;widths=" + widths.stream().sorted().toList() + ";fit=" + fit
                + (fit == Fit.COVER ? ";aspect=" + coverAspect : "")
                + ";jpeg=" + jpegQuality + ";webp=" + webpQuality + "/" + webpMethod;
        return Sha256.hex(Sha256.newDigest().digest(canonical.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }
}
