package dev.mediapipeline.app;

import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Properties;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every application test extends this, so they share one context: one embedded PostgreSQL, one
 * S3Proxy (both real, over their network protocols), one web server, and the test clamd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "media.cli.chunk-size=64KB",
        "media.staging.max-upload-size=64MB",
        "media.staging.cors-allowed-origins=https://app.example",
        // the player pages of the playback tests are served from a loopback port of their own
        "media.delivery.cors-allowed-origins=http://127.0.0.1:[*],https://app.example",
        // the tests send chunks of 1000 bytes and more
        "media.staging.min-chunk-size=1000B",
        // small, so that a test can fill it
        "media.jobs.max-running=2",
        // S3's smallest part, so that a test archive has several
        "media.downloads.part-size=5MB",
        // small, so that a test can go over it
        "media.downloads.max-entries=20",
        // the nightly schedule must not fire into the middle of a test run at 02:00 UTC
        "media.schedules.nightly-ingest.cron=0 0 2 1 1 ? 2099",
        "media.schedules.nightly-purge.cron=0 30 3 1 1 ? 2099",
        "media.schedules.usage-rollup.cron=0 15 0 1 1 ? 2099",
        // CDN purges: each sent right after its change; the tests send the rest (retries, trailing purges) by the job
        "media.cdn.retry-interval=1h"})
@Import(PausableObjectStore.Install.class)
public abstract class AppTestBase {

    protected static final Path MEDIA_HOME = newHome();

    @LocalServerPort
    protected int port;

    @Autowired
    protected StagingService staging;
    @Autowired
    protected ObjectStore store;
    @Autowired
    protected S3Properties s3;
    @Autowired
    protected JdbcClient jdbc;

    /** A JSON client of this context's web server. */
    protected JsonHttp http;

    @BeforeEach
    void httpClient() {
        http = new JsonHttp(port, adminKey());
        // the CDN edge the context purges: there before any test changes an asset
        Edge.ensureStarted(port);
    }

    /**
     * The admin key the context's first start made and wrote to {@code <media.home>/admin.key}: the
     * tests use it as an operator would, so every run checks that bootstrap too.
     */
    protected static String adminKey() {
        try {
            return Files.readString(MEDIA_HOME.resolve("admin.key")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the first start wrote no admin key", e);
        }
    }

    /**
     * Waits until every CDN purge of an asset that is due now has been acknowledged: purges are sent
     * in the background once the change that made them committed (trailing purges, due later, are not waited for).
     */
    protected void awaitCdnPurged(UUID asset) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (jdbc.sql("""
                select count(*) from cdn_purge where ? = any(prefixes) and acknowledged_at is null and reason not like '%(trailing)'""")
                .param("/media/" + asset + "/").query(Long.class).single() > 0) {
            org.assertj.core.api.Assertions.assertThat(java.time.Instant.now()).as("CDN purges of " + asset + " acknowledged").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    /** A new tenant made through the admin API, named {@code prefix} and a random suffix; its id. */
    protected UUID newTenant(String prefix) {
        JsonHttp.Reply created = http.post("/admin/tenants", "{\"name\": \"" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        org.assertj.core.api.Assertions.assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return UUID.fromString(created.body().get("id").asString());
    }

    /** A new key of a tenant with these scopes, made through the admin API (shown once, in its answer). */
    protected String newKey(UUID tenant, String... scopes) {
        JsonHttp.Reply key = http.post("/admin/tenants/" + tenant + "/keys", "{\"scopes\": [\"" + String.join("\", \"", scopes) + "\"]}");
        org.assertj.core.api.Assertions.assertThat(key.status()).as(key.body().toString()).isEqualTo(201);
        return key.body().get("key").asString();
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("media.home", MEDIA_HOME::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
        registry.add("media.cdn.varnish.edge", () -> Edge.url(""));
        registry.add("media.usage.edge-secret", () -> Edge.SECRET);
        registry.add("media.usage.edge-log", Edge.LOG::toString);
        // and a second CDN, behind the same port: Cloudflare's purge API as a loopback server that checks each request
        registry.add("media.cdn.cloudflare.api", FakeCloudflare::api);
        registry.add("media.cdn.cloudflare.zone", () -> FakeCloudflare.ZONE);
        registry.add("media.cdn.cloudflare.token", () -> FakeCloudflare.TOKEN);
        registry.add("media.cdn.cloudflare.public-host", () -> FakeCloudflare.PUBLIC_HOST);
    }

    /**
     * A scheduler name for another application context started in this JVM. Quartz keeps schedulers
     * and their connection providers in static registries by name: a second context under the shared
     * context's name would take over its job store, and break it when closed.
     */
    public static String separateSchedulerName() {
        return "media-pipeline-" + java.util.UUID.randomUUID();
    }

    /**
     * Another instance of the application in this JVM, on a PostgreSQL and an S3 it does not run
     * (given as command-line arguments, which outrank application.yml), under a scheduler name of its own.
     */
    public static org.springframework.context.ConfigurableApplicationContext instanceOn(Path home, String jdbcUrl, String username,
            java.net.URI s3, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(serviceArgs(home, jdbcUrl, username, s3));
        args.add("--server.port=0");
        args.addAll(java.util.List.of(more));
        return new org.springframework.boot.builder.SpringApplicationBuilder(dev.mediapipeline.MediaPipelineApplication.class)
                .run(args.toArray(String[]::new));
    }

    /**
     * The command-line arguments that put an instance of the application (in this JVM or a child one)
     * on a PostgreSQL and an S3 it does not run, the test clamd, a home and a scheduler name of its own.
     */
    public static java.util.List<String> serviceArgs(Path home, String jdbcUrl, String username, java.net.URI s3) {
        return java.util.List.of(
                "--media.home=" + home,
                "--spring.quartz.scheduler-name=" + separateSchedulerName(),
                "--media.clamd.port=" + TestServices.clamdPort(),
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + username,
                "--media.s3.endpoint=" + s3,
                "--media.s3.path-style=true",
                "--media.s3.access-key=" + dev.mediapipeline.core.embedded.EmbeddedS3Server.ACCESS_KEY,
                "--media.s3.secret-key=" + dev.mediapipeline.core.embedded.EmbeddedS3Server.SECRET_KEY);
    }

    private static Path newHome() {
        try {
            Path target = TestServices.repoRoot().resolve("src/target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "media-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
