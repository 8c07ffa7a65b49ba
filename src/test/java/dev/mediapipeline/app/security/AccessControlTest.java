package dev.mediapipeline.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Access over real HTTP, against the real PostgreSQL: every route needs a key (enumerated from
 * Spring's own request mappings, so that a route added later cannot be left open), scopes, two
 * tenants that cannot see each other's uploads, executions, failures and downloads, the admin API,
 * revocation and expiry at once, keys stored hashed.
 */
class AccessControlTest extends AppTestBase {

    @Autowired
    ApplicationContext context;

    /** One request per route and method, with every path variable filled in. */
    record Route(String method, String path) {
    }

    List<Route> routes() {
        Set<Route> routes = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> patterns = info.getPathPatternsCondition() != null ? info.getPathPatternsCondition().getPatternValues()
                        : info.getPatternsCondition().getPatterns();
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : patterns) {
                    String path = pattern.replaceAll("\\{\\*[^}]+}", "x").replaceAll("\\{[^}]+}", UUID.randomUUID().toString())
                            .replace("**", "x");
                    if (methods.isEmpty()) {
                        routes.add(new Route("GET", path));
                        routes.add(new Route("POST", path));
                    }
                    for (RequestMethod method : methods) {
                        routes.add(new Route(method.name(), path));
                    }
                }
            }
        }
        return new ArrayList<>(routes);
    }

    @Test
    void everyRouteButHealthIsRefusedWithoutAKey() throws Exception {
        List<Route> routes = routes();
        assertThat(routes).as("the enumeration finds the application's routes")
                .extracting(Route::path).anyMatch(p -> p.startsWith("/uploads")).anyMatch(p -> p.startsWith("/jobs/"))
                .anyMatch(p -> p.startsWith("/admin/")).anyMatch(p -> p.startsWith("/actuator/")).anyMatch(p -> p.startsWith("/v3/api-docs"));
        HttpClient client = HttpClient.newHttpClient();
        int checked = 0;
        List<String> open = new ArrayList<>();
        for (Route route : routes) {
            if (route.path().startsWith("/actuator/health")) {
                continue;
            }
            if (route.path().startsWith("/console")) {
                // the console's static page, script and style: served to anyone, holding no data (ConsoleTest)
                assertThat(route.method()).as(route.toString()).isEqualTo("GET");
                assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path())).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(route.toString()).isEqualTo(200);
                continue;
            }
            for (String presented : new String[] {null, "mp_aaaaaaaaaaaa_" + "A".repeat(43), "not-a-key"}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
                        .method(route.method(), HttpRequest.BodyPublishers.noBody())
                        .header("Tus-Resumable", "1.0.0");
                if (presented != null) {
                    request.header("Authorization", "Bearer " + presented);
                }
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                // delivery (GET/HEAD of /media, /streams and archives) with no key at all: 403, not public (a public asset's renditions
                // are the one thing served so, and these random ids name none); everything else: 401, a key is needed
                boolean delivery = presented == null && (route.method().equals("GET") || route.method().equals("HEAD"))
                        && (route.path().startsWith("/media/") || route.path().startsWith("/streams/")
                                || route.path().matches("/downloads/[^/]+/archive"));
                if (response.statusCode() != (delivery ? 403 : 401)
                        || !delivery && !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")
                        || !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                    open.add(route + " with key " + presented + " -> " + response.statusCode() + " " + response.headers().map());
                }
                checked++;
            }
        }
        System.out.printf("route enumeration: %d routes (method and path) checked, %d requests without a valid key%n", routes.size(),
                checked);
        assertThat(open).as("routes that answered without a valid key").isEmpty();

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("health is public").isEqualTo(200);
    }

    @Test
    void aKeyOnlyReachesTheRoutesOfItsScopes() throws Exception {
        Tenant a = tenant("scopes-" + suffix());
        String uploadOnly = a.key("upload");
        List<String> reached = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        for (Route route : routes()) {
            if (route.path().startsWith("/actuator/health") || route.path().startsWith("/uploads") || route.path().startsWith("/console")) {
                continue; // public (the console's static files), or the upload key's own
            }
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
                    .method(route.method(), HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + uploadOnly).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 403) {
                reached.add(route + " -> " + response.statusCode());
            }
        }
        assertThat(reached).as("routes an upload-only key reached").isEmpty();

        JsonHttp read = http.as(a.key("read"));
        Reply jobs = read.get("/jobs/executions/1");
        assertThat(jobs.status()).isEqualTo(403);
        assertThat(jobs.contentType()).startsWith("application/problem+json");
        assertThat(jobs.body().get("detail").asString()).contains("jobs");

        JsonHttp jobsKey = http.as(a.key("jobs"));
        assertThat(jobsKey.get("/failures/classes").status()).isEqualTo(200);
        assertThat(jobsKey.get("/schedules").status()).as("a jobs key reads the schedules").isEqualTo(200);
        assertThat(jobsKey.post("/schedules/nightly-ingest/pause", null).status()).as("only an admin changes them").isEqualTo(403);
        assertThat(jobsKey.get("/admin/tenants").status()).isEqualTo(403);
        assertThat(jobsKey.get("/v3/api-docs").status()).isEqualTo(403);
        assertThat(jobsKey.get("/actuator/metrics").status()).isEqualTo(403);
        assertThat(http.get("/v3/api-docs").status()).as("the admin reads the API description").isEqualTo(200);
        assertThat(http.get("/actuator/metrics").status()).isEqualTo(200);

        // X-Api-Key works as well as Authorization: Bearer
        HttpResponse<String> viaHeader = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/failures/classes"))
                .header("X-Api-Key", a.key("jobs")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaHeader.statusCode()).isEqualTo(200);
    }

    @Test
    void twoTenantsSeeNothingOfEachOther(@TempDir Path dir) throws Exception {
        Tenant a = tenant("tenant-a-" + suffix());
        Tenant b = tenant("tenant-b-" + suffix());
        String aKey = a.key("upload", "read", "jobs");
        String bKey = b.key("upload", "read", "jobs");
        HttpClient client = HttpClient.newHttpClient();

        // uploads: created by A's key, A's; B's key cannot resume, read or delete it
        URI upload = tusCreate(client, aKey, 5);
        assertThat(tus(client, bKey, upload, "HEAD").statusCode()).isEqualTo(404);
        HttpResponse<String> foreignPatch = client.send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0")
                .header("Authorization", "Bearer " + bKey).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4, 5})).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreignPatch.statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from rate_limit_bucket where id like ?").param("tenant:" + b.id() + ":upload-kib%")
                .query(Long.class).single()).as("a PATCH of someone else's upload costs B no upload bandwidth").isZero();
        assertThat(tus(client, bKey, upload, "DELETE").statusCode()).isEqualTo(404);
        assertThat(tus(client, aKey, upload, "HEAD").statusCode()).as("still there for its owner").isEqualTo(200);
        assertThat(tus(client, aKey, upload, "HEAD").headers().firstValue("Upload-Offset")).hasValue("0");
        assertThat(tus(client, adminKey(), upload, "HEAD").statusCode()).as("the admin sees every tenant's").isEqualTo(200);
        UUID uploadId = UUID.fromString(upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1));
        assertThat(jdbc.sql("select tenant_id from upload where id = ?").param(uploadId).query(UUID.class).single()).isEqualTo(a.id());

        // ingest: A's jobs key ingests A's staged uploads only; B's stay staged for B
        Path photo = dev.mediapipeline.app.jobs.JobsApiTest.smallestPhotos(1).getFirst();
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not an image " + UUID.randomUUID());
        UUID aPhoto = TestUploads.stage(staging, photo, a.id()).id();
        UUID aNotes = TestUploads.stage(staging, notes, a.id()).id();
        UUID bPhoto = TestUploads.stage(staging, photo, b.id()).id();
        JsonHttp asA = http.as(aKey);
        JsonHttp asB = http.as(bKey);
        Reply refused = asA.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"a-" + UUID.randomUUID() + "\", \"tenant\": \"" + b.id() + "\"}}");
        assertThat(refused.status()).as("a tenant's key cannot launch for another tenant").isEqualTo(400);
        Reply launched = asA.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"a-" + UUID.randomUUID() + "\"}}");
        assertThat(launched.status()).as(launched.body().toString()).isEqualTo(202);
        long execution = launched.body().get("id").asLong();
        JsonNode ended = asA.awaitEnd(execution);
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(jdbc.sql("select tenant_id from asset where id = ?").param(aPhoto).query(UUID.class).single()).isEqualTo(a.id());
        assertThat(jdbc.sql("select count(*) from ingest_item where upload_id = ?").param(bPhoto).query(Long.class).single())
                .as("B's upload is not in A's batch").isZero();
        assertThat(jdbc.sql("select count(*) from asset where id = ?").param(bPhoto).query(Long.class).single()).isZero();

        // executions: B's key finds none of A's
        for (String path : List.of("/jobs/executions/" + execution)) {
            assertThat(asB.get(path).status()).isEqualTo(404);
        }
        for (String action : List.of("stop", "restart", "recover")) {
            Reply reply = asB.post("/jobs/executions/" + execution + "/" + action, null);
            assertThat(reply.status()).as(action).isEqualTo(404);
            assertThat(reply.body().get("detail").asString()).isEqualTo("no job execution " + execution);
        }
        assertThat(ids(asB.get("/jobs/mediaIngest/executions?size=200").body().get("executions"))).doesNotContain(execution);
        assertThat(ids(asA.get("/jobs/mediaIngest/executions?size=200").body().get("executions"))).contains(execution);
        assertThat(asB.get("/jobs/executions/999999999").body().get("detail").asString())
                .as("another tenant's execution reads exactly as a missing one").isEqualTo("no job execution 999999999");
        assertThat(asA.post("/jobs/batchDownload/executions", "{\"parameters\": {\"downloadId\": \"" + UUID.randomUUID() + "\"}}")
                .status()).as("only the application launches a tenant's download").isEqualTo(404);

        // failures: A's refusal is A's
        assertThat(entries(asA.get("/failures?size=500").body())).contains(aNotes);
        assertThat(entries(asB.get("/failures?size=500").body())).doesNotContain(aNotes);
        assertThat(entries(http.get("/failures?size=500").body())).as("the admin sees all").contains(aNotes);
        assertThat(asB.get("/failures/classes").body().toString()).doesNotContain("type-not-allowed");

        // downloads: B can neither name A's asset nor read A's download
        Reply foreignDownload = asB.post("/downloads", "{\"assetIds\": [\"" + aPhoto + "\"], \"renditions\": \"original\"}");
        assertThat(foreignDownload.status()).isEqualTo(404);
        assertThat(foreignDownload.body().get("detail").asString()).isEqualTo("no asset " + aPhoto);
        Reply download = asA.post("/downloads", "{\"assetIds\": [\"" + aPhoto + "\"], \"renditions\": \"original\"}");
        assertThat(download.status()).as(download.body().toString()).isEqualTo(202);
        String downloadPath = download.location();
        assertThat(asB.get(downloadPath).status()).isEqualTo(404);
        assertThat(asB.get(downloadPath + "/link").status()).isEqualTo(404);
        assertThat(asB.get(downloadPath + "/archive").status()).isEqualTo(404);
        assertThat(asA.get(downloadPath).status()).isEqualTo(200);
        // a download asked for by B over "createdAfter" takes none of A's assets
        Reply bAll = asB.post("/downloads", "{\"createdAfter\": \"2000-01-01T00:00:00Z\", \"renditions\": \"original\"}");
        assertThat(bAll.status()).isEqualTo(202);
        awaitDownload(asB, bAll.location());
        UUID bDownload = UUID.fromString(bAll.location().substring(bAll.location().lastIndexOf('/') + 1));
        assertThat(jdbc.sql("select name from download_entry where download_id = ?").param(bDownload).query(String.class).list())
                .as("B's download by date takes none of A's assets").noneMatch(name -> name.contains(aPhoto.toString().substring(0, 8)));

        // an admin's download may hold every tenant's assets: no tenant key sees it, not even one of the admin's own tenant
        Reply adminDownload = http.post("/downloads", "{\"assetIds\": [\"" + aPhoto + "\"], \"renditions\": \"original\"}");
        assertThat(adminDownload.status()).isEqualTo(202);
        long adminExecution = awaitDownload(http, adminDownload.location()).get("jobExecutionId").asLong();
        JsonHttp asDefault = http.as(new Tenant(dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, "default", http).key("read", "jobs"));
        assertThat(asDefault.get(adminDownload.location()).status()).isEqualTo(404);
        assertThat(asDefault.get(adminDownload.location() + "/link").status()).isEqualTo(404);
        assertThat(asDefault.get("/jobs/executions/" + adminExecution).status()).isEqualTo(404);
        assertThat(ids(asDefault.get("/jobs/batchDownload/executions?size=200").body().get("executions"))).doesNotContain(adminExecution);
        assertThat(http.get(adminDownload.location()).status()).isEqualTo(200);

        // leave nothing staged for the other tests' ingests
        staging.terminate(bPhoto);
        staging.terminate(uploadId);
    }

    @Test
    void adminApiKeysAreShownOnceStoredHashedAndRevokedOrExpiredAtOnce() throws Exception {
        Reply created = http.post("/admin/tenants", "{\"name\": \"admin-api-" + suffix() + "\"}");
        assertThat(created.status()).isEqualTo(201);
        String tenantId = created.body().get("id").asString();
        assertThat(http.post("/admin/tenants", "{\"name\": \"" + created.body().get("name").asString() + "\"}").status()).isEqualTo(409);
        assertThat(http.post("/admin/tenants", "{\"name\": \"Not A Name!\"}").status()).isEqualTo(400);
        assertThat(http.post("/admin/tenants/" + UUID.randomUUID() + "/keys", "{\"scopes\": [\"read\"]}").status()).isEqualTo(404);
        assertThat(http.post("/admin/tenants/" + tenantId + "/keys", "{\"scopes\": [\"root\"]}").status()).isEqualTo(400);
        assertThat(http.post("/admin/tenants/" + tenantId + "/keys", "{\"scopes\": [\"read\"], \"expiresAt\": \"2001-01-01T00:00:00Z\"}")
                .status()).as("an expiry in the past").isEqualTo(400);

        Reply key = http.post("/admin/tenants/" + tenantId + "/keys", "{\"scopes\": [\"jobs\", \"read\"]}");
        assertThat(key.status()).isEqualTo(201);
        String secret = key.body().get("key").asString();
        assertThat(secret).matches("mp_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(key.body().get("scopes").toString()).isEqualTo("[\"jobs\",\"read\"]");
        UUID keyId = UUID.fromString(key.body().get("id").asString());

        // stored hashed: no column holds the key or its secret part, and the hash is SHA-256 of the key
        Map<String, Object> row = jdbc.sql("select * from api_key where id = ?").param(keyId).query().singleRow();
        String secretPart = secret.substring("mp_".length() + 12 + 1); // the 43 characters after the prefix (they may hold '_' too)
        assertThat(secretPart).hasSize(43);
        for (Object value : row.values()) {
            String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value);
            assertThat(text).doesNotContain(secretPart);
        }
        assertThat((byte[]) row.get("secret_hash")).isEqualTo(Sha256.newDigest().digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("prefix")).isEqualTo(secret.substring(3, 15));

        Reply listed = http.get("/admin/tenants/" + tenantId + "/keys");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().toString()).contains(keyId.toString()).doesNotContain(secretPart).doesNotContain("\"key\"");

        JsonHttp asKey = http.as(secret);
        assertThat(asKey.get("/failures/classes").status()).isEqualTo(200);
        assertThat(http.delete("/admin/keys/" + keyId).status()).isEqualTo(204);
        Reply revoked = asKey.get("/failures/classes");
        assertThat(revoked.status()).as("revoked: refused at the next request").isEqualTo(401);
        assertThat(revoked.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(revoked.body().get("detail").asString()).contains("revoked");
        assertThat(http.delete("/admin/keys/" + UUID.randomUUID()).status()).isEqualTo(404);

        Reply expiring = http.post("/admin/tenants/" + tenantId + "/keys",
                "{\"scopes\": [\"jobs\"], \"expiresAt\": \"" + Instant.now().plusSeconds(3600) + "\"}");
        String expiringKey = expiring.body().get("key").asString();
        assertThat(http.as(expiringKey).get("/failures/classes").status()).isEqualTo(200);
        // an hour passes: the expiry is moved to the past, as the clock would
        jdbc.sql("update api_key set expires_at = now() - interval '1 second' where id = ?")
                .param(UUID.fromString(expiring.body().get("id").asString())).update();
        Reply expired = http.as(expiringKey).get("/failures/classes");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().get("detail").asString()).contains("expired");
        assertThat(jdbc.sql("select last_used_at is not null from api_key where id = ?")
                .param(UUID.fromString(expiring.body().get("id").asString())).query(Boolean.class).single()).isTrue();
    }

    // --- helpers

    record Tenant(UUID id, String name, JsonHttp admin) {
        String key(String... scopes) {
            Reply key = admin.post("/admin/tenants/" + id + "/keys", "{\"scopes\": [\"" + String.join("\", \"", scopes) + "\"]}");
            assertThat(key.status()).as(key.body().toString()).isEqualTo(201);
            return key.body().get("key").asString();
        }
    }

    Tenant tenant(String name) {
        Reply created = http.post("/admin/tenants", "{\"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return new Tenant(UUID.fromString(created.body().get("id").asString()), name, http);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    URI tusCreate(HttpClient client, String key, long length) throws Exception {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads/"))
                .header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key).header("Upload-Length", Long.toString(length))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("tus at /uploads/ with a trailing slash").isEqualTo(201);
        URI location = URI.create(created.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPath()).matches("/uploads/[0-9a-f-]{36}");
        return location;
    }

    static HttpResponse<String> tus(HttpClient client, String key, URI upload, String method) throws Exception {
        return client.send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Long> ids(JsonNode executions) {
        List<Long> ids = new ArrayList<>();
        executions.forEach(e -> ids.add(e.get("id").asLong()));
        return ids;
    }

    static List<UUID> entries(JsonNode failures) {
        List<UUID> ids = new ArrayList<>();
        failures.forEach(e -> ids.add(UUID.fromString(e.get("item_id").asString())));
        return ids;
    }

    static JsonNode awaitDownload(JsonHttp client, String path) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            JsonNode view = client.get(path).body();
            String state = view.get("state").asString();
            String job = view.get("jobStatus").isNull() ? "" : view.get("jobStatus").asString();
            if (state.equals("COMPLETE") || state.equals("FAILED")) {
                return view;
            }
            if (job.equals("FAILED") || job.equals("STOPPED") || job.equals("ABANDONED")) {
                throw new AssertionError("the download's job ended " + job + ": " + view);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("download " + path + " did not end");
    }
}
