package dev.mediapipeline.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.MediaPipelineApplication;
import dev.mediapipeline.core.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole server stops between two chunks and starts again over the same media home: the
 * embedded PostgreSQL and S3 data are still there, HEAD gives the offset, the upload completes.
 */
class ServerRestartBetweenChunksTest {

    static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUploadContinuesAfterTheServerRestarts(@TempDir Path home) throws Exception {
        byte[] file = TusProtocolTest.randomBytes(700_000);
        URI upload;
        try (ConfigurableApplicationContext server = start(home)) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(base(server)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key(home))
                    .header("Upload-Length", Integer.toString(file.length)).POST(BodyPublishers.noBody()));
            assertThat(created.statusCode()).isEqualTo(201);
            upload = URI.create(created.headers().firstValue("Location").orElseThrow());
            assertThat(patch(upload, 0, Arrays.copyOfRange(file, 0, 300_000), key(home)).statusCode()).isEqualTo(204);
        }

        String firstKey = key(home);
        try (ConfigurableApplicationContext server = start(home)) {
            assertThat(key(home)).as("the admin key is made once, at the first start").isEqualTo(firstKey);
            URI moved = base(server).resolve(upload.getPath()); // the new server has a new port
            HttpResponse<String> head = send(HttpRequest.newBuilder(moved).header("Tus-Resumable", "1.0.0")
                    .header("Authorization", "Bearer " + key(home))
                    .method("HEAD", BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Upload-Offset")).hasValue("300000");

            HttpResponse<String> rest = patch(moved, 300_000, Arrays.copyOfRange(file, 300_000, file.length), key(home));
            assertThat(rest.statusCode()).isEqualTo(204);
            assertThat(rest.headers().firstValue("Upload-Offset")).hasValue("700000");
        }
    }

    private static ConfigurableApplicationContext start(Path home) {
        return new SpringApplicationBuilder(MediaPipelineApplication.class)
                .run("--media.home=" + home, "--server.port=0", "--spring.quartz.scheduler-name=" + dev.mediapipeline.app.AppTestBase.separateSchedulerName(), "--media.clamd.port=" + TestServices.CLAMD_PORT);
    }

    private static URI base(ConfigurableApplicationContext server) {
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + "/uploads");
    }

    /** the admin key the first start wrote; the second start finds it in the database and keeps it */
    private static String key(Path home) throws java.io.IOException {
        return java.nio.file.Files.readString(home.resolve("admin.key")).strip();
    }

    private static HttpResponse<String> patch(URI upload, long offset, byte[] body, String key) throws Exception {
        return send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(TusProtocolTest.sha256(body)))
                .method("PATCH", BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), BodyHandlers.ofString());
    }
}
