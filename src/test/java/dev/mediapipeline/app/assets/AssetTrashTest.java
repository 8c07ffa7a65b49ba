package dev.mediapipeline.app.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.testing.TestUploads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Deleting an asset over real HTTP: it leaves lists, the asset API, delivery (a signed URL given
 * before) and downloads at once, comes back whole when restored, and only its tenant's write key
 * can do either; a bulk delete says which ids it moved. And {@code auto}: the best format the
 * request's Accept allows.
 */
class AssetTrashTest extends AppTestBase {

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aDeletedAssetLeavesListsAndDeliveryAtOnceAndComesBackWhenRestored() throws Exception {
        UUID a = newTenant("trash-a");
        UUID b = newTenant("trash-b");
        JsonHttp aRead = http.as(newKey(a, "read"));
        JsonHttp aWrite = http.as(newKey(a, "read", "write"));
        JsonHttp bWrite = http.as(newKey(b, "read", "write"));
        List<Path> photos = JobsApiTest.smallestPhotos(9).subList(5, 9);
        List<UUID> assets = new ArrayList<>();
        for (Path photo : photos.subList(0, 3)) {
            assets.add(TestUploads.stage(staging, photo, a).id());
        }
        UUID bAsset = TestUploads.stage(staging, photos.get(3), b).id();
        JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"trash-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
        UUID first = assets.getFirst();
        JsonNode rendition = aRead.get("/assets/" + first).body().get("renditions").get(0);
        String signedUrl = rendition.get("url").asString();
        assertThat(fetch(signedUrl, null).statusCode()).isEqualTo(200);

        assertThat(aRead.delete("/assets/" + first).status()).as("a read key cannot delete").isEqualTo(403);
        assertThat(bWrite.delete("/assets/" + first).status()).as("nor another tenant's").isEqualTo(404);
        assertThat(aWrite.delete("/assets/" + first).status()).isEqualTo(204);

        // gone at once: the asset API, its list, delivery, downloads
        assertThat(aRead.get("/assets/" + first).status()).isEqualTo(404);
        assertThat(aRead.get("/assets/" + first + "/versions").status()).isEqualTo(404);
        assertThat(ids(aRead.get("/assets?limit=500").body())).doesNotContain(first.toString()).contains(assets.get(1).toString());
        assertThat(fetch(signedUrl, null).statusCode()).as("a signed URL given before").isEqualTo(404);
        assertThat(aRead.post("/downloads", "{\"assetIds\": [\"" + first + "\"], \"renditions\": \"original\"}").status()).isEqualTo(404);
        assertThat(aWrite.delete("/assets/" + first).status()).as("already in the trash").isEqualTo(404);

        // restored: whole again
        assertThat(bWrite.post("/assets/" + first + "/restore", null).status()).isEqualTo(404);
        JsonHttp.Reply restored = aWrite.post("/assets/" + first + "/restore", null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.body().get("id").asString()).isEqualTo(first.toString());
        assertThat(fetch(signedUrl, null).statusCode()).isEqualTo(200);
        assertThat(ids(aRead.get("/assets?limit=500").body())).contains(first.toString());
        assertThat(aWrite.post("/assets/" + first + "/restore", null).status()).as("not in the trash").isEqualTo(404);

        // in bulk: which moved, which were not found
        String unknown = UUID.randomUUID().toString();
        JsonHttp.Reply bulk = aWrite.post("/assets/delete", "{\"ids\": [\"" + assets.get(1) + "\", \"" + assets.get(2) + "\", \"" + bAsset
                + "\", \"" + unknown + "\", \"not-an-id\"]}");
        assertThat(bulk.status()).isEqualTo(200);
        assertThat(strings(bulk.body().get("deleted"))).containsExactlyInAnyOrder(assets.get(1).toString(), assets.get(2).toString());
        assertThat(strings(bulk.body().get("notFound"))).containsExactlyInAnyOrder(bAsset.toString(), unknown, "not-an-id");
        assertThat(bWrite.get("/assets/" + bAsset).status()).as("the other tenant's asset is untouched").isEqualTo(200);
        assertThat(ids(aRead.get("/assets?limit=500").body())).containsExactly(first.toString());
        assertThat(aWrite.post("/assets/delete", "{\"ids\": []}").status()).isEqualTo(400);

        // auto: WebP for a client that takes it, JPEG for one that does not, Vary: Accept
        int width = rendition.get("width").asInt();
        String key = newKey(a, "read");
        HttpResponse<byte[]> webp = fetch("/media/" + first + "/auto/" + width, key, "Accept", "image/avif,image/webp,*/*;q=0.8");
        assertThat(webp.statusCode()).isEqualTo(200);
        assertThat(webp.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(webp.headers().allValues("Vary")).as("Vary: Accept, beside what CORS varies on").contains("Accept");
        HttpResponse<byte[]> jpeg = fetch("/media/" + first + "/auto/" + width, key, "Accept", "image/jpeg,image/webp;q=0");
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(fetch("/media/" + first + "/auto/" + width, key).headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(fetch("/media/" + first + "/auto/7", key, "Accept", "image/webp").statusCode()).isEqualTo(404);
    }

    private HttpResponse<byte[]> fetch(String pathAndQuery, String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
