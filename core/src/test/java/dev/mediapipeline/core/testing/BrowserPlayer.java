package dev.mediapipeline.core.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web players from the npm registry, hls.js 1.7.4 and dash.js 5.2.1, playing a stream in Debian's
 * headless chromium, driven by playwright-core: the stream's directory is served over HTTP from one
 * origin with a player page beside {@code master.m3u8} and {@code manifest.mpd}, and the page plays
 * it to its end.
 */
public final class BrowserPlayer {

    /** A player library and the page that drives it. */
    public enum Library {
        HLS_JS("hls-player.html", "node_modules/hls.js/dist/hls.min.js", "hls.min.js"),
        DASH_JS("dash-player.html", "node_modules/dashjs/dist/modern/umd/dash.all.min.js", "dash.all.min.js");

        final String page;
        final String script;
        final String scriptName;

        Library(String page, String script, String scriptName) {
            this.page = page;
            this.script = script;
            this.scriptName = scriptName;
        }
    }

    /** What the page reported: whether the video element reached its end, where, at what size, and hls.js's errors. */
    public record Playback(boolean ended, double currentTime, int width, int height, String errors, String json) {
    }

    private BrowserPlayer() {
    }

    /** A directory served over HTTP on loopback, until closed. */
    public static final class Server implements AutoCloseable {
        private final HttpServer server;

        public Server(Path dir) {
            server = SimpleFileServer.createFileServer(new InetSocketAddress("127.0.0.1", 0), dir.toAbsolutePath(),
                    SimpleFileServer.OutputLevel.NONE);
            server.start();
        }

        public String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Plays {@code dir/master.m3u8} (hls.js) or {@code dir/manifest.mpd} (dash.js) to its end in chromium. */
    public static Playback play(Path dir, Library library) throws IOException {
        Path node = NodeClients.project();
        Files.copy(node.resolve(library.page), dir.resolve(library.page), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(node.resolve(library.script), dir.resolve(library.scriptName), StandardCopyOption.REPLACE_EXISTING);
        try (Server server = new Server(dir)) {
            String out = TestServices.run(List.of("node", node.resolve("play.mjs").toString(), server.url(library.page)), 180);
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("the player printed no outcome:\n" + out));
            return new Playback(json.contains("\"ended\":true"), number(json, "currentTime"), (int) number(json, "width"),
                    (int) number(json, "height"), field(json, "errors"), json);
        }
    }

    private static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\[[^\\]]*\\])").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
