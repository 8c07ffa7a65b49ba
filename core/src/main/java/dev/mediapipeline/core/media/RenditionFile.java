package dev.mediapipeline.core.media;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One encoded rendition in a local temp file, with its content address and how long its encoding
 * took (processing usage; 0 when not measured).
 */
public record RenditionFile(int width, int height, String format, String mimeType, Path file, long size, String sha256, int encodeMillis) {

    public RenditionFile(int width, int height, String format, String mimeType, Path file, long size, String sha256) {
        this(width, height, format, mimeType, file, size, sha256, 0);
    }

    /** The same rendition, its encoding having taken {@code took}. */
    public RenditionFile encodedIn(Duration took) {
        return new RenditionFile(width, height, format, mimeType, file, size, sha256, (int) Math.min(Integer.MAX_VALUE, took.toMillis()));
    }
}
