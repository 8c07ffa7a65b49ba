package dev.mediapipeline.app.video;

import dev.mediapipeline.app.NodeClients;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** hls.js 1.7.4 from the npm registry playing a published stream in Debian's headless chromium. */
final class HlsJsPlayer {

    private HlsJsPlayer() {
    }

    /** Plays the stream's master playlist to its end; the outcome the page reported. */
    static JsonNode play(PublishedStream stream) throws IOException {
        Path node = NodeClients.project();
        Files.copy(node.resolve("player.html"), stream.root.resolve("player.html"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(node.resolve("node_modules/hls.js/dist/hls.min.js"), stream.root.resolve("hls.min.js"), StandardCopyOption.REPLACE_EXISTING);
        String out = TestServices.run(List.of("node", node.resolve("play-hls.mjs").toString(), stream.url("player.html")), 180);
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the player printed no outcome:\n" + out));
        return JsonMapper.builder().build().readTree(last);
    }
}
