package dev.mediapipeline.core.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web players from the npm registry, hls.js 1.7.4, dash.js 5.2.1 and Shaka Player 5.2.12, playing a
 * stream in Debian's headless chromium, driven by playwright-core, to its end. Either the stream's
 * directory is served over HTTP from one origin with a player page beside {@code master.m3u8} and
 * {@code manifest.mpd} ({@link #play(Path, Library)}), or the page is served alone from its own
 * loopback origin ({@link Server#ORIGIN}) and plays a stream URL of another origin, cross-origin as
 * a customer's site would ({@link #play(String, Library)}).
 */
public final class BrowserPlayer {

    /** A player library and the page that drives it. */
    public enum Library {
        HLS_JS("hls-player.html", "node_modules/hls.js/dist/hls.min.js", "hls.min.js"),
        DASH_JS("dash-player.html", "node_modules/dashjs/dist/modern/umd/dash.all.min.js", "dash.all.min.js"),
        /** plays {@code manifest.mpd} from a directory; given a URL, an MPD or an HLS playlist alike */
        SHAKA("shaka-player.html", "node_modules/shaka-player/dist/shaka-player.compiled.js", "shaka-player.compiled.js");

        final String page;
        final String script;
        final String scriptName;

        Library(String page, String script, String scriptName) {
            this.page = page;
            this.script = script;
            this.scriptName = scriptName;
        }
    }

    /** What the page reported: whether the video element reached its end, where, at what size, and the player's errors. */
    public record Playback(boolean ended, double currentTime, int width, int height, String errors, String json) {
    }

    private BrowserPlayer() {
    }

    /** A directory served over HTTP on loopback, until closed. */
    public static final class Server implements AutoCloseable {
        /**
         * Where every server listens: the IPv4 loopback address, on a free port. A page it serves has the
         * origin {@code http://127.0.0.1:<port>}, which a stream's origin must allow (CORS) for
         * {@link BrowserPlayer#play(String, Library)}.
         */
        public static final String HOST = "127.0.0.1";

        private final HttpServer server;

        public Server(Path dir) {
            server = SimpleFileServer.createFileServer(new InetSocketAddress(HOST, 0), dir.toAbsolutePath(),
                    SimpleFileServer.OutputLevel.NONE);
            server.start();
        }

        /** {@code http://127.0.0.1:<port>}: the origin of the pages this server serves. */
        public String origin() {
            return "http://" + HOST + ":" + server.getAddress().getPort();
        }

        public String url(String path) {
            return origin() + "/" + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Plays {@code dir/master.m3u8} (hls.js) or {@code dir/manifest.mpd} (dash.js, Shaka Player) to its end in chromium. */
    public static Playback play(Path dir, Library library) throws IOException {
        Path node = NodeClients.project();
        copyPage(node, library, dir);
        try (Server server = new Server(dir)) {
            return playPage(node, server.url(library.page));
        }
    }

    /**
     * Plays the stream at an absolute URL (a master playlist or an MPD, signed or not) to its end in
     * chromium: the page and its library are served alone from a loopback origin of their own
     * ({@code http://127.0.0.1:<port>}), and the player fetches the stream cross-origin, so the
     * stream's origin must allow that origin (CORS).
     */
    public static Playback play(String streamUrl, Library library) throws IOException {
        Path node = NodeClients.project();
        Path dir = Files.createTempDirectory("player-");
        try {
            copyPage(node, library, dir);
            try (Server server = new Server(dir)) {
                return playPage(node, server.url(library.page) + "?src=" + URLEncoder.encode(streamUrl, StandardCharsets.UTF_8));
            }
        } finally {
            for (Path file : List.of(dir.resolve(library.page), dir.resolve(library.scriptName), dir)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void copyPage(Path node, Library library, Path dir) throws IOException {
        Files.copy(node.resolve(library.page), dir.resolve(library.page), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(node.resolve(library.script), dir.resolve(library.scriptName), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Playback playPage(Path node, String pageUrl) {
        String out = TestServices.run(List.of("node", node.resolve("play.mjs").toString(), pageUrl), 180);
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the player printed no outcome:\n" + out));
        return new Playback(json.contains("\"ended\":true"), number(json, "currentTime"), (int) number(json, "width"),
                (int) number(json, "height"), field(json, "errors"), json);
    }

    private static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** A JSON array's text, whole: its strings may hold brackets of their own (a player's error data). */
    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":[");
        if (start < 0) {
            return "";
        }
        start += name.length() + 3;
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return json.substring(start, i + 1);
            }
        }
        return json.substring(start);
    }
}
