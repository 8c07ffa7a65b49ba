package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.storage.ContentAddress;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.ObjectStore.PutOptions;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts each image's original and renditions into the published bucket under their content
 * addresses, with {@code If-None-Match: *}: a 412 means those bytes are already there, so a
 * rerun (a restart, or Spring Batch re-writing a failed chunk item by item) writes nothing twice.
 * Renditions are immutable and say so to caches and CDNs. Each object goes with the sha256 its key
 * names as {@code x-amz-checksum-sha256}, so the store refuses bytes that are not the ones the key
 * promises (400 BadDigest, retried as damaged in transit).
 *
 * <p>Before it relies on an object already stored, it takes a key-share lock on the file's row (in
 * the chunk's transaction, until the references the chunk adds commit): the purge job collects an
 * unreferenced file only under a lock on that row, so bytes this chunk found stored are never
 * deleted before the chunk references them.
 */
public class ContentAddressedObjectWriter implements ItemWriter<Rendered> {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final ObjectStore store;
    private final String bucket;
    private final String serverSideEncryption;
    private final JdbcClient jdbc;

    /** @param serverSideEncryption null for none, else {@code AES256} or {@code aws:kms} */
    public ContentAddressedObjectWriter(ObjectStore store, String bucket, String serverSideEncryption, JdbcClient jdbc) {
        this.store = store;
        this.bucket = bucket;
        this.serverSideEncryption = serverSideEncryption;
        this.jdbc = jdbc;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        java.util.SortedSet<String> files = new java.util.TreeSet<>(); // one order of locks for every chunk
        for (Rendered image : chunk) {
            files.add(image.original().sha256());
            image.renditions().forEach(r -> files.add(r.sha256()));
        }
        if (!files.isEmpty()) {
            jdbc.sql("select sha256 from file_ref where sha256 = any(?) order by sha256 for key share")
                    .param(files.toArray(String[]::new)).query(String.class).list();
        }
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
