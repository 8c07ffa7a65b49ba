package dev.mediapipeline.core.media;

import java.util.List;

/**
 * An image with its renditions made.
 *
 * @param original      what is published as the original
 * @param width, height the picture's size once oriented upright
 * @param tools         the tools and versions that made the renditions, for lineage
 */
public record RenderedImage(ValidatedImage image, PublishedOriginal original, int width, int height, boolean alpha,
        List<RenditionFile> renditions, String profileHash, String tools) implements Rendered {

    @Override
    public AssembledFile file() {
        return image.file();
    }

    @Override
    public String kind() {
        return "IMAGE";
    }

    @Override
    public String format() {
        return image.format().name();
    }

    @Override
    public int frames() {
        return image.frames();
    }

    @Override
    public String scanEngine() {
        return image.scanned().scanEngine();
    }
}
