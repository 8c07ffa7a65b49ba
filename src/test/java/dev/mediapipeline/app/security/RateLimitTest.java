package dev.mediapipeline.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.staging.UploadStatus;
import dev.mediapipeline.core.testing.NodeClients;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Rate limits live in PostgreSQL (bucket4j's proxy manager), so a second application instance on the
 * same database draws from the same buckets; over the limit is 429 with Retry-After; tus-js-client,
 * retrying 429 as the README says, still finishes an upload under a tight limit.
 */
class RateLimitTest extends AppTestBase {

    @Autowired
    EmbeddedPostgresServer postgres;
    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void aBurstOverTheLimitIs429OnBothInstancesSharingOneDatabase(@TempDir Path home) throws Exception {
        // three requests at once, then one a minute
        String limited = limitedKey("limited", "jobs", "{\"requests\": 1, \"period\": \"PT60S\", \"burst\": 3}");
        UUID keyId = jdbc.sql("select id from api_key where prefix = ?").param(limited.substring(3, 15)).query(UUID.class).single();

        try (ConfigurableApplicationContext second = secondInstance(home)) {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            JsonHttp first = http.as(limited);
            JsonHttp other = new JsonHttp(secondPort, limited);

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(first.get("/failures/classes").status());
            }
            assertThat(statuses).as("the burst, on the first instance").containsOnly(200);
            Reply refused = other.get("/failures/classes");
            assertThat(refused.status()).as("the second instance sees the same bucket, already empty").isEqualTo(429);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body().get("detail").asString()).contains("rate limit");
            assertThat(first.get("/failures/classes").status()).as("and the first as well").isEqualTo(429);
            assertThat(http.get("/failures/classes").status()).as("another key is not held back").isEqualTo(200);
            assertThat(jdbc.sql("select count(*) from rate_limit_bucket where id like ?").param("key:" + keyId + ":%")
                    .query(Long.class).single()).as("one bucket row for the key, in the database").isEqualTo(1);
        }
    }

    @Test
    void tusJsClientFinishesUnderATightLimitByRetrying429(@TempDir Path dir) throws Exception {
        String limited = limitedKey("slow", "upload", "{\"requests\": 4, \"period\": \"PT1S\", \"burst\": 2}");
        UUID tenantId = jdbc.sql("select tenant_id from api_key where prefix = ?").param(limited.substring(3, 15)).query(UUID.class).single();
        byte[] bytes = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("limited.bin"), bytes);

        List<String> command = List.of("node", NodeClients.project().resolve("upload.mjs").toString(),
                "http://127.0.0.1:" + port + "/uploads/", file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("MEDIA_API_KEY", limited, "TUS_CHUNK_SIZE", Integer.toString(256 * 1024)));
        Process process = builder.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(ended).as("the upload ended within 3 minutes: " + String.join("\n", lines)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).as("9 requests at 4 a second with a burst of 2 meet the limit").contains("RETRY 429");
        assertThat(lines).contains("DONE");
        assertThat(lines.stream().filter(l -> l.startsWith("URL ")).distinct()).as("one upload, resumed, never started over").hasSize(1);
        String url = lines.stream().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4);
        UUID id = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
        assertThat(staging.current(id).status()).isEqualTo(UploadStatus.COMPLETE);
        assertThat(staging.current(id).tenantId()).isEqualTo(tenantId);
        var staged = new java.io.ByteArrayOutputStream();
        for (var chunk : staging.chunks(id)) {
            try (var in = store.get(s3.buckets().staging(), chunk.objectKey()).orElseThrow()) {
                in.transferTo(staged);
            }
        }
        assertThat(staged.toByteArray()).as("every byte, once, in order").isEqualTo(bytes);
        staging.terminate(id); // nothing left staged for the other tests' ingests
    }

    private ConfigurableApplicationContext secondInstance(Path home) {
        return instanceOn(home, postgres.jdbcUrl(), postgres.username(), s3Server.endpoint(), "--spring.quartz.auto-startup=false");
    }

    /** A new tenant and a key of its with its own rate limit; returns the key */
    private String limitedKey(String tenantPrefix, String scope, String rateLimit) {
        Reply tenant = http.post("/admin/tenants", "{\"name\": \"" + tenantPrefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        Reply key = http.post("/admin/tenants/" + tenant.body().get("id").asString() + "/keys",
                "{\"scopes\": [\"" + scope + "\"], \"rateLimit\": " + rateLimit + "}");
        assertThat(key.status()).as(key.body().toString()).isEqualTo(201);
        return key.body().get("key").asString();
    }
}
