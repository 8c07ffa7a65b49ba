package dev.mediapipeline.core.media;

import java.nio.file.Path;

/**
 * A scanned video that passed its budgets.
 *
 * @param source     the file to package: the upload itself, or its transcode when the upload's codecs
 *                   cannot be packaged as they are
 * @param probe      the facts of {@code source}
 * @param transcoded why the upload was re-encoded, or null when it is packaged as uploaded
 */
public record ProbedVideo(ScannedFile scanned, Path source, VideoProbe probe, String transcoded) {

    public AssembledFile file() {
        return scanned.file();
    }
}
