package dev.mediapipeline.app.video;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.testing.Ffmpeg;
import dev.mediapipeline.core.testing.BrowserPlayer;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every video of the shared corpus through the ingest job: packaged, then read back from the published
 * objects over HTTP by ffprobe/ffmpeg (HLS and DASH) and played to its end in chromium by hls.js (HLS)
 * and dash.js (DASH).
 */
class VideoIngestTest extends AppTestBase {

    @Test
    void everyCorpusVideoIsStreamableOrRefusedWithAReason(@TempDir Path temp) throws Exception {
        Path corpus = TestServices.corpus().resolve("video");
        Map<String, UUID> uploads = new LinkedHashMap<>();
        for (String name : new String[] {"images__realshort.mp4", "video__balle-jbart.mp4", "videos__birds.mp4",
                "images__cockatoo.mp4", "widgets__cityCC0.mpg"}) {
            uploads.put(name, TestUploads.stage(staging, corpus.resolve(name)).id());
        }
        JsonNode run = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"video-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(run.get("status").asString()).isEqualTo("COMPLETED");

        // ffmpeg is on the test machine: what cannot be packaged as it is gets transcoded (without it, the probe
        // refuses those two with their reasons: VideoProcessorsTest)
        for (String name : uploads.keySet()) {
            UUID asset = uploads.get(name);
            Path source = corpus.resolve(name);
            assertThat(jdbc.sql("select kind from asset where id = ? and current_version = 1").param(asset).query(String.class).single())
                    .as(name).isEqualTo("VIDEO");
            Map<String, Object> stream = jdbc.sql("select * from video_stream where asset_id = ? and version = 1").param(asset)
                    .query().singleRow();
            assertThat((String) stream.get("packaging")).startsWith(name.endsWith(".mpg") || name.contains("cockatoo") ? "transcoded" : "passthrough");
            assertThat(jdbc.sql("select count(*) from rendition where asset_id = ? and version = 1").param(asset).query(Long.class).single())
                    .as("poster renditions").isGreaterThan(0);
            String bucket = s3.buckets().published();
            String master = (String) stream.get("master_playlist");
            var head = store.head(bucket, master).orElseThrow();
            assertThat(head.contentType()).isEqualTo("application/vnd.apple.mpegurl");
            assertThat(store.head(bucket, (String) stream.get("dash_manifest")).orElseThrow().contentType()).isEqualTo("application/dash+xml");
            var segment = store.head(bucket, stream.get("prefix") + "video/seg-00001.m4s").orElseThrow();
            assertThat(segment.cacheControl()).contains("immutable");
            assertThat(store.list(bucket, (String) stream.get("prefix"))).hasSize(((Number) stream.get("objects")).intValue());

            long frames = Ffmpeg.decodedFrames(source.toString(), "v");
            double duration = Ffmpeg.streamDuration(source.toString(), "v");
            Path dir = PublishedStream.fetch(store, bucket, (String) stream.get("prefix"), temp.resolve(asset.toString()));
            try (BrowserPlayer.Server served = new BrowserPlayer.Server(dir)) {
                for (String entry : new String[] {"master.m3u8", "manifest.mpd"}) {
                    String url = served.url(entry);
                    assertThat(Ffmpeg.decodeErrors(url)).as(name + " " + entry).isEmpty();
                    assertThat(Ffmpeg.decodedFrames(url, "v")).as(name + " " + entry + " frames").isEqualTo(frames);
                    assertThat(Ffmpeg.streamDuration(url, "v")).as(name + " " + entry + " duration").isCloseTo(duration, Offset.offset(0.05));
                }
            }
            for (BrowserPlayer.Library library : java.util.List.of(BrowserPlayer.Library.HLS_JS, BrowserPlayer.Library.DASH_JS)) {
                BrowserPlayer.Playback played = BrowserPlayer.play(dir, library);
                assertThat(played.errors()).as(name + " " + library + " errors").doesNotContain("fatal");
                assertThat(played.ended()).as(name + " " + library + " played to its end: " + played.json()).isTrue();
                assertThat(played.currentTime()).as(name + " " + library).isCloseTo(duration, Offset.offset(0.25));
                assertThat(played.width()).as(name + " " + library).isEqualTo(((Number) stream.get("width")).intValue());
                assertThat(played.height()).as(name + " " + library).isEqualTo(((Number) stream.get("height")).intValue());
            }
        }
    }

    @Test
    void aRunThatDiesWhilePublishingAStreamLeavesNothingHalfPublished(@TempDir Path temp) throws Exception {
        Path source = TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4");
        UUID asset = TestUploads.stage(staging, source).id();
        String bucket = s3.buckets().published();
        // the store fails when the stream's MPD is written: its segments and media playlists are already up
        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.failWritesTo(bucket, key -> key.endsWith("/" + "manifest.mpd"));
        JsonNode failed;
        try {
            failed = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                    "{\"parameters\": {\"run\": \"video-crash-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        } finally {
            pausable.resume();
        }
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        String prefix = "streams/" + asset + "/v1/";
        assertThat(store.list(bucket, prefix)).as("the run got as far as the segments").contains(prefix + "video/seg-00001.m4s");
        assertThat(store.head(bucket, prefix + "master.m3u8")).as("no entry point to a half-published stream").isEmpty();
        assertThat(jdbc.sql("select count(*) from video_stream where asset_id = ?").param(asset).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from asset where id = ?").param(asset).query(Long.class).single())
                .as("no asset points at it").isZero();

        JsonNode restarted = http.awaitEnd(http.post("/jobs/executions/" + failed.get("id").asLong() + "/restart", "{}")
                .body().get("id").asLong());
        assertThat(restarted.get("status").asString()).isEqualTo("COMPLETED");
        Map<String, Object> stream = jdbc.sql("select * from video_stream where asset_id = ? and version = 1").param(asset).query().singleRow();
        assertThat(store.list(bucket, prefix)).as("exactly the stream's objects, nothing left over or twice")
                .hasSize(((Number) stream.get("objects")).intValue());
        try (BrowserPlayer.Server served = new BrowserPlayer.Server(PublishedStream.fetch(store, bucket, prefix, temp))) {
            assertThat(Ffmpeg.decodeErrors(served.url("master.m3u8"))).isEmpty();
            assertThat(Ffmpeg.decodedFrames(served.url("manifest.mpd"), "v")).isEqualTo(Ffmpeg.headerFrames(source));
        }
    }

}
