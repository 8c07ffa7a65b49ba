package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.storage.ContentAddress;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.ObjectStore.PutOptions;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Puts each image's original and renditions into the published bucket under their content
 * addresses, with {@code If-None-Match: *}: a 412 means those bytes are already there, so a
 * rerun (a restart, or Spring Batch re-writing a failed chunk item by item) writes nothing twice.
 * Renditions are immutable and say so to caches and CDNs. Each object goes with the sha256 its key
 * names as {@code x-amz-checksum-sha256}, so the store refuses bytes that are not the ones the key
 * promises (400 BadDigest, retried as damaged in transit).
 */
public class ContentAddressedObjectWriter implements ItemWriter<Rendered> {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final ObjectStore store;
    private final String bucket;
    private final String serverSideEncryption;

    /** @param serverSideEncryption null for none, else {@code AES256} or {@code aws:kms} */
    public ContentAddressedObjectWriter(ObjectStore store, String bucket, String serverSideEncryption) {
        this.store = store;
        this.bucket = bucket;
        this.serverSideEncryption = serverSideEncryption;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered image : chunk) {
            var original = image.original();
            store.putIfAbsent(bucket, ContentAddress.original(original.sha256()), original.file(),
                    new PutOptions(original.mimeType(), null, serverSideEncryption, original.sha256()));
            for (RenditionFile rendition : image.renditions()) {
                store.putIfAbsent(bucket, ContentAddress.rendition(rendition.sha256(), rendition.format()), rendition.file(),
                        new PutOptions(rendition.mimeType(), IMMUTABLE, serverSideEncryption, rendition.sha256()));
            }
        }
    }
}
