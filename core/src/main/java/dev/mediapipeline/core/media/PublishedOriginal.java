package dev.mediapipeline.core.media;

import java.nio.file.Path;

/**
 * The original as it is published: the image's own bytes, which are the upload's unless
 * tolerated bytes followed the image's end (those are left out).
 */
public record PublishedOriginal(Path file, long size, String sha256, String mimeType) {
}
