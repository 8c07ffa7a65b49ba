package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.StreamFile;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.ObjectStore.PutOptions;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Publishes a packaged video's stream files under its asset version ({@code streams/<asset>/v<n>/}),
 * each with its content type and cache header, in the packager's order: segments, then media
 * playlists, then the MPD and the master playlist. Objects are replaced, not kept, so a rerun after a
 * crash rewrites the whole stream rather than mixing two runs. The stream counts as published only
 * once its row commits with the version ({@link StreamMetadataWriter}); until then nothing points here.
 * Images pass through untouched. Stream files are not content-addressed, so their sha256 is taken
 * here, just before each is put, and sent as {@code x-amz-checksum-sha256} for the store to check.
 */
public class StreamObjectWriter implements ItemWriter<Rendered> {

    private final ObjectStore store;
    private final String bucket;
    private final String serverSideEncryption;
    private final ToIntFunction<UUID> versionOf;

    public StreamObjectWriter(ObjectStore store, String bucket, String serverSideEncryption, ToIntFunction<UUID> versionOf) {
        this.store = store;
        this.bucket = bucket;
        this.serverSideEncryption = serverSideEncryption;
        this.versionOf = versionOf;
    }

    /** The key prefix of an asset version's stream. */
    public static String prefix(UUID assetId, int version) {
        return "streams/" + assetId + "/v" + version + "/";
    }

    /** @throws IOException when a stream file cannot be read to hash it (the local disk's failure) */
    @Override
    public void write(Chunk<? extends Rendered> chunk) throws IOException {
        for (Rendered item : chunk) {
            if (item instanceof PackagedVideo video) {
                String prefix = prefix(video.upload().uploadId(), versionOf.applyAsInt(video.upload().uploadId()));
                for (StreamFile file : video.files()) {
                    store.put(bucket, prefix + file.path(), file.file(), new PutOptions(file.contentType(), file.cacheControl(),
                            serverSideEncryption, Sha256.ofFile(file.file())));
                }
            }
        }
    }
}
