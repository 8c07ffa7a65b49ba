package dev.mediapipeline.core.media;

import java.util.List;

/**
 * What an item step hands its writers: a processed upload (an image with its renditions, or a video
 * with its poster renditions and its stream), ready to be published. The writers need only this view.
 */
public sealed interface Rendered permits RenderedImage, PackagedVideo {

    AssembledFile file();

    default StagedUpload upload() {
        return file().upload();
    }

    /** {@code IMAGE} or {@code VIDEO}, as in the asset table. */
    String kind();

    /** The source format recorded on the version (JPEG, PNG, MP4, ...). */
    String format();

    PublishedOriginal original();

    /** Still renditions: an image's own, a video's poster frame's. */
    List<RenditionFile> renditions();

    int width();

    int height();

    int frames();

    boolean alpha();

    String profileHash();

    String tools();

    String scanEngine();

    /** How long encoding took, for processing usage: its still renditions' encodes (a video adds its packaging, ladder included). */
    default long encodeMillis() {
        return renditions().stream().mapToLong(RenditionFile::encodeMillis).sum();
    }
}
