package dev.mediapipeline.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** src/test/node: unmodified npm clients (tus-js-client, hls.js, dash.js, Shaka Player, playwright-core) at their locked versions. */
public final class NodeClients {

    private static final List<String> PACKAGES = List.of("tus-js-client", "hls.js", "dashjs", "shaka-player", "playwright-core");

    private NodeClients() {
    }

    /** The node project, with its locked dependencies installed ({@code npm ci}) if any is missing. */
    public static synchronized Path project() {
        Path project = TestServices.repoRoot().resolve("src/test/node");
        if (!PACKAGES.stream().allMatch(p -> Files.isDirectory(project.resolve("node_modules").resolve(p)))) {
            TestServices.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", project.toString()), 300);
        }
        return project;
    }
}
