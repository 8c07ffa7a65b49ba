package dev.mediapipeline.core.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Each item's local files (the assembled original, its renditions) live in one directory named for
 * its upload under the bounded temp directory, so that whoever finishes with the item (the last
 * writer, or the skip listener for a rejected one) removes them all at once.
 */
public final class Workspace {

    private Workspace() {
    }

    public static Path of(Path tempDirectory, UUID uploadId) {
        try {
            return Files.createDirectories(tempDirectory.resolve(uploadId.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path tempDirectory, UUID uploadId) {
        Path dir = tempDirectory.resolve(uploadId.toString());
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
