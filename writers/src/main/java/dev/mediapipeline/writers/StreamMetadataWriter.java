package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.Rendered;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records a packaged video's stream ({@code video_stream}) in the chunk's transaction, beside its
 * asset version: where its master playlist and MPD are, its codecs, size, duration and how it was
 * packaged. Written again, it changes nothing.
 */
public class StreamMetadataWriter implements ItemWriter<Rendered> {

    private final JdbcClient jdbc;
    private final String bucket;
    private final ToIntFunction<UUID> versionOf;

    public StreamMetadataWriter(JdbcClient jdbc, String bucket, ToIntFunction<UUID> versionOf) {
        this.jdbc = jdbc;
        this.bucket = bucket;
        this.versionOf = versionOf;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered item : chunk) {
            if (item instanceof PackagedVideo video) {
                UUID asset = video.upload().uploadId();
                int version = versionOf.applyAsInt(asset);
                String prefix = StreamObjectWriter.prefix(asset, version);
                var probe = video.probe();
                long bytes = video.files().stream().mapToLong(f -> f.size()).sum();
                jdbc.sql("""
                        insert into video_stream (asset_id, version, bucket, prefix, master_playlist, dash_manifest, duration_ms,
                                                  width, height, rotation, video_codec, audio_codec, segments, objects, bytes,
                                                  renditions, packaging, notes)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (asset_id, version) do nothing""")
                        .params(asset, version, bucket, prefix, prefix + PackagedVideo.MASTER_PLAYLIST, prefix + PackagedVideo.DASH_MANIFEST,
                                Math.round(probe.durationSeconds() * 1000), probe.displayWidth(), probe.displayHeight(), probe.rotation(),
                                probe.video().codec(), probe.audio() == null ? null : probe.audio().codec(), video.segments(),
                                video.files().size(), bytes, video.renditionsHeights().stream().map(String::valueOf)
                                        .collect(java.util.stream.Collectors.joining(",")),
                                video.packaging(), String.join("; ", probe.notes()))
                        .update();
            }
        }
    }
}
