package dev.mediapipeline.core.media;

import java.nio.file.Path;

/**
 * An upload's chunks joined into one local temp file, every chunk's sha256 verified.
 *
 * @param sha256 hex sha256 of the whole file: its content address
 */
public record AssembledFile(StagedUpload upload, Path file, long size, String sha256) {
}
