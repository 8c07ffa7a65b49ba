package dev.mediapipeline.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.jobs.JobsApiTest;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.tenant.Tenant;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The name a client sends is stored as it can safely be shown: Unicode intact, no NUL, no bidi trick, no path. */
class FileNameIngestTest extends AppTestBase {

    @Test
    void namesAreSanitisedAndUnicodeSurvivesThroughTheJob() throws Exception {
        Path photo = JobsApiTest.smallestPhotos(1).getFirst();
        Map<String, String> sentToStored = new LinkedHashMap<>();
        sentToStored.put("東京タワー 👨‍👩‍👧 Café.jpg", "東京タワー 👨‍👩‍👧 Café.jpg");
        sentToStored.put("C:\\fakepath\\invoice\u202Egpj.exe\u0000", "invoicegpj.exe");
        Map<UUID, String> expected = new LinkedHashMap<>();
        for (var name : sentToStored.entrySet()) {
            long size = Files.size(photo);
            Upload upload = staging.create(Tenant.DEFAULT_ID, size, UploadMetadata.format(Map.of("filename", name.getKey())));
            try (InputStream in = Files.newInputStream(photo)) {
                staging.append(upload.id(), 0, in, size, null);
            }
            expected.put(upload.id(), name.getValue());
        }
        var launched = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"run\": \"names-" + UUID.randomUUID() + "\"}}");
        assertThat(http.awaitEnd(launched.body().get("id").asLong()).get("status").asString()).isEqualTo("COMPLETED");
        for (var item : expected.entrySet()) {
            List<String> stored = jdbc.sql("select original_filename from asset where id = ?").param(item.getKey()).query(String.class).list();
            assertThat(stored).containsExactly(item.getValue());
        }
    }
}
