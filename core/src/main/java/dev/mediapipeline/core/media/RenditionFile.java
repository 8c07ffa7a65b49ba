package dev.mediapipeline.core.media;

import java.nio.file.Path;

/** One encoded rendition in a local temp file, with its content address. */
public record RenditionFile(int width, int height, String format, String mimeType, Path file, long size, String sha256) {
}
