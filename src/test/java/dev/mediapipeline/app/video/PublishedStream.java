package dev.mediapipeline.app.video;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import dev.mediapipeline.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A published stream as a player gets it: every object under the stream's prefix, fetched from the
 * final bucket and served over HTTP from one origin, so the playlists' relative URLs resolve.
 */
final class PublishedStream implements AutoCloseable {

    private final HttpServer server;
    final Path root;

    private PublishedStream(HttpServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    static PublishedStream serve(ObjectStore store, String bucket, String prefix, Path dir) throws IOException {
        for (String key : store.list(bucket, prefix)) {
            Path target = dir.resolve(key.substring(prefix.length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = store.get(bucket, key).orElseThrow()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        HttpServer server = SimpleFileServer.createFileServer(new InetSocketAddress("127.0.0.1", 0), dir.toAbsolutePath(),
                SimpleFileServer.OutputLevel.NONE);
        server.start();
        return new PublishedStream(server, dir);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
