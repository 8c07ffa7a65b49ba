package dev.mediapipeline.core.media;

/**
 * A scanned file whose real type is an allowed image format, structurally whole (not truncated) and
 * within the budgets; width, height and frames come from its header, before any decoding.
 *
 * @param imageEnd where the image's own bytes end; unidentifiable bytes after it (padding, camera
 *                 firmware leftovers) are not part of what gets published
 */
public record ValidatedImage(ScannedFile scanned, ImageFormat format, int width, int height, int frames, long imageEnd) {

    public AssembledFile file() {
        return scanned.file();
    }
}
