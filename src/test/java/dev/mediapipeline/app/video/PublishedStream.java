package dev.mediapipeline.app.video;

import dev.mediapipeline.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A published stream as a player gets it: every object under the stream's prefix, fetched from the
 * final bucket into a directory that is served over HTTP from one origin, so the playlists'
 * relative URLs resolve.
 */
final class PublishedStream {

    private PublishedStream() {
    }

    static Path fetch(ObjectStore store, String bucket, String prefix, Path dir) throws IOException {
        for (String key : store.list(bucket, prefix)) {
            Path target = dir.resolve(key.substring(prefix.length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = store.get(bucket, key).orElseThrow()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
