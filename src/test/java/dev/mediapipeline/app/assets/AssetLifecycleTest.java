package dev.mediapipeline.app.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An asset's life after publication over real HTTP, PostgreSQL and S3Proxy: its visibility, a
 * version made current again, and the purge, at once or by the job, that removes what nothing else
 * references and keeps what another tenant's asset still uses, leaving the bucket and the rows in
 * agreement.
 */
class AssetLifecycleTest extends AppTestBase {

    @Test
    void visibilityAndAVersionMadeCurrentAgain() throws Exception {
        UUID a = newTenant("life-a");
        UUID b = newTenant("life-b");
        String aWriteKey = newKey(a, "read", "write");
        JsonHttp aRead = http.as(newKey(a, "read"));
        JsonHttp aWrite = http.as(aWriteKey);
        JsonHttp bWrite = http.as(newKey(b, "read", "write"));
        UUID asset = TestUploads.stage(staging, JobsApiTest.smallestPhotos(12).get(10), a).id();
        ingest("life");

        assertThat(aRead.get("/assets/" + asset).body().get("visibility").asString()).as("the default").isEqualTo("private");
        assertThat(aRead.request("PATCH", "/assets/" + asset, "{\"visibility\": \"public\"}").status()).as("a read key").isEqualTo(403);
        assertThat(bWrite.request("PATCH", "/assets/" + asset, "{\"visibility\": \"public\"}").status()).isEqualTo(404);
        assertThat(aWrite.request("PATCH", "/assets/" + asset, "{\"visibility\": \"everyone\"}").status()).isEqualTo(400);
        JsonHttp.Reply patched = aWrite.request("PATCH", "/assets/" + asset, "{\"visibility\": \"public\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("visibility").asString()).isEqualTo("public");
        assertThat(aRead.get("/assets?limit=500").body().toString()).contains("\"visibility\":\"public\"");
        // public: its renditions read by anyone, publicly cached; never its original
        int publicWidth = widths(patched.body()).getFirst();
        var anonymous = java.net.http.HttpClient.newHttpClient();
        var rendition = anonymous.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/media/" + asset
                + "/jpeg/" + publicWidth)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(rendition.statusCode()).isEqualTo(200);
        assertThat(rendition.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(anonymous.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/media/" + asset
                + "/poster/" + publicWidth)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("an image has no poster").isEqualTo(404);
        assertThat(anonymous.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/media/" + asset
                + "/original")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);

        // a second version, made by a migration to other widths
        JsonNode migrated = http.awaitEnd(http.post("/jobs/assetMigration/executions",
                "{\"parameters\": {\"tenant\": \"" + a + "\", \"widths\": \"96\"}}").body().get("id").asLong());
        assertThat(migrated.get("status").asString()).isEqualTo("COMPLETED");
        JsonNode v2 = aRead.get("/assets/" + asset).body();
        assertThat(v2.get("currentVersion").asInt()).isEqualTo(2);
        assertThat(widths(v2)).containsOnly(96);

        assertThat(aRead.post("/assets/" + asset + "/versions/1/restore", null).status()).as("a read key").isEqualTo(403);
        assertThat(bWrite.post("/assets/" + asset + "/versions/1/restore", null).status()).isEqualTo(404);
        assertThat(aWrite.post("/assets/" + asset + "/versions/9/restore", null).status()).isEqualTo(404);
        assertThat(aWrite.post("/assets/" + asset + "/versions/2/restore", null).status()).as("already current").isEqualTo(409);
        JsonHttp.Reply restored = aWrite.post("/assets/" + asset + "/versions/1/restore", null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.body().get("currentVersion").asInt()).isEqualTo(1);
        assertThat(widths(restored.body())).doesNotContain(96);
        JsonNode versions = aRead.get("/assets/" + asset + "/versions").body();
        assertThat(versions.size()).as("the version that was current is kept").isEqualTo(2);
        assertThat(versions.get(0).get("current").asBoolean()).isTrue();
        assertThat(versions.get(1).get("current").asBoolean()).isFalse();
        assertThat(aRead.get("/media/" + asset + "/jpeg/96").status()).as("delivery serves the current version").isEqualTo(404);
        int width = widths(restored.body()).getFirst();
        assertThat(aRead.get("/media/" + asset + "/jpeg/" + width).status()).isEqualTo(200);
        assertThat(aWrite.request("PATCH", "/assets/" + asset, "{\"visibility\": \"private\"}").status()).isEqualTo(200);
        assertThat(anonymous.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/media/" + asset
                + "/jpeg/" + width)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).as("private again")
                .isEqualTo(403);
        // recorded, with the key that asked
        UUID keyId = jdbc.sql("select id from api_key where prefix = ?").param(aWriteKey.split("_")[1]).query(UUID.class).single();
        assertThat(jdbc.sql("select action || ':' || detail || ':' || key_id from asset_event where asset_id = ? order by id")
                .param(asset).query(String.class).list())
                .containsExactly("visibility:public:" + keyId, "version-restore:version 1 made current again; was 2:" + keyId,
                        "visibility:private:" + keyId);
    }

    @Test
    void purgedAssetsLeaveNothingBehindButWhatOthersStillUse() throws Exception {
        UUID a = newTenant("purge-a");
        UUID b = newTenant("purge-b");
        JsonHttp aWrite = http.as(newKey(a, "read", "write", "jobs"));
        JsonHttp bRead = http.as(newKey(b, "read"));
        List<Path> photos = JobsApiTest.smallestPhotos(16).subList(13, 16);
        // the same bytes for both tenants: one stored file, two references
        UUID shared = TestUploads.stage(staging, photos.get(0), a).id();
        UUID bShared = TestUploads.stage(staging, photos.get(0), b).id();
        UUID expiring = TestUploads.stage(staging, photos.get(1), a).id();
        UUID kept = TestUploads.stage(staging, photos.get(2), a).id();
        UUID video = TestUploads.stage(staging, TestServices.corpus().resolve("video/images__realshort.mp4"), a).id();
        ingest("purge");
        String bucket = s3.buckets().published();
        Set<String> sharedKeys = objectKeys(shared);
        Set<String> expiringKeys = objectKeys(expiring);
        String streamPrefix = jdbc.sql("select prefix from video_stream where asset_id = ?").param(video).query(String.class).single();
        assertThat(store.list(bucket, streamPrefix)).isNotEmpty();
        assertThat(sharedKeys).isEqualTo(objectKeys(bShared));

        // at once: the asset's rows go; the files tenant b's asset also uses stay
        assertThat(http.as(newKey(b, "read", "write")).request("DELETE", "/assets/" + shared + "?purge=true", null).status()).isEqualTo(404);
        assertThat(aWrite.request("DELETE", "/assets/" + shared + "?purge=true", null).status()).isEqualTo(204);
        assertThat(count("select count(*) from asset where id = ?", shared)).isZero();
        assertThat(aWrite.post("/assets/" + shared + "/restore", null).status()).as("purged: gone for good").isEqualTo(404);
        for (String key : sharedKeys) {
            assertThat(store.head(bucket, key)).as(key).isPresent();
        }
        JsonNode bAsset = bRead.get("/assets/" + bShared).body();
        assertThat(bRead.get(path(bAsset.get("renditions").get(0).get("url").asString())).status()).isEqualTo(200);

        // by the job: the trash past its retention (its time moved back here), the video's stream with it
        assertThat(aWrite.request("DELETE", "/assets/" + expiring, null).status()).isEqualTo(204);
        assertThat(aWrite.request("DELETE", "/assets/" + video, null).status()).isEqualTo(204);
        assertThat(aWrite.request("DELETE", "/assets/" + kept, null).status()).isEqualTo(204);
        jdbc.sql("update asset set purge_after = now() - interval '1 second' where id in (?, ?)").params(expiring, video).update();
        JsonNode run = http.awaitEnd(aWrite.post("/jobs/purgeAssets/executions",
                "{\"parameters\": {\"run\": \"purge-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(run.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.get("report").get("assetsPurged").asLong()).isEqualTo(2);
        assertThat(count("select count(*) from asset where id in (?, ?)", expiring, video)).isZero();
        for (String key : expiringKeys) {
            assertThat(store.head(bucket, key)).as(key + " was only the purged asset's").isEmpty();
        }
        assertThat(store.list(bucket, streamPrefix)).as("the stream's objects").isEmpty();
        assertThat(aWrite.post("/assets/" + kept + "/restore", null).status()).as("still within its retention").isEqualTo(200);

        // the bucket and the rows agree: every object is some row's, every row's object is there
        Set<String> referenced = new HashSet<>(jdbc.sql("select object_key from file_ref").query(String.class).list());
        List<String> streams = jdbc.sql("select prefix from video_stream").query(String.class).list();
        for (String key : store.list(bucket, "originals/")) {
            assertThat(referenced).as("an original without a row").contains(key);
        }
        for (String key : store.list(bucket, "renditions/")) {
            assertThat(referenced).as("a rendition without a row").contains(key);
        }
        for (String key : store.list(bucket, "streams/")) {
            assertThat(streams.stream().anyMatch(key::startsWith)).as(key + " belongs to no stream").isTrue();
        }
        for (String key : referenced) {
            assertThat(store.head(bucket, key)).as("a row without its object: " + key).isPresent();
        }
    }

    private void ingest(String run) throws InterruptedException {
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"" + run + "-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
    }

    private Set<String> objectKeys(UUID asset) {
        return new HashSet<>(jdbc.sql("""
                select f.object_key from asset_version v join file_ref f on f.sha256 = v.original_sha256 where v.asset_id = ?
                union select f.object_key from rendition r join file_ref f on f.sha256 = r.sha256 where r.asset_id = ?""")
                .params(asset, asset).query(String.class).list());
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private static String path(String url) {
        return url.startsWith("http") ? url.substring(url.indexOf('/', url.indexOf("//") + 2)) : url;
    }

    private static List<Integer> widths(JsonNode asset) {
        List<Integer> widths = new ArrayList<>();
        asset.get("renditions").forEach(r -> widths.add(r.get("width").asInt()));
        return widths;
    }
}
