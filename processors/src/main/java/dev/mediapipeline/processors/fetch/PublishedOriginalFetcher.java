package dev.mediapipeline.processors.fetch;

import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.PublishedAsset;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.storage.ContentAddress;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Brings a published asset's original back into a local workspace, checked against its content
 * address, as the scanned file the image steps take: it was scanned when it was ingested (its
 * engine is kept in the lineage), so a re-processing validates and renders it again, unscanned.
 * The original failing to arrive whole (the connection reset half way) is a transient fault, retried
 * ({@link ObjectStore#copyTo}); the local disk failing is an {@link IOException}; an original that
 * arrives whole but does not match its address is the asset's failure.
 */
public class PublishedOriginalFetcher implements ItemProcessor<PublishedAsset, ScannedFile> {

    private final ObjectStore store;
    private final String bucket;
    private final Path tempDirectory;

    public PublishedOriginalFetcher(ObjectStore store, String bucket, Path tempDirectory) {
        this.store = store;
        this.bucket = bucket;
        this.tempDirectory = tempDirectory;
    }

    @Override
    public ScannedFile process(PublishedAsset asset) throws IOException {
        String key = ContentAddress.original(asset.originalSha256());
        Path file = Workspace.of(tempDirectory, asset.assetId()).resolve("original");
        MessageDigest digest = Sha256.newDigest();
        long size;
        // a read of the object that fails is a TransientException (retried); the local disk's failure an IOException
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            size = store.copyTo(bucket, key, out).orElseThrow(() -> new IllegalStateException(
                    "the original of asset " + asset.assetId() + " is missing from " + bucket + "/" + key));
        }
        String sha256 = Sha256.hex(digest.digest());
        if (!sha256.equals(asset.originalSha256()) || size != asset.originalSize()) {
            throw new IllegalStateException("the original of asset " + asset.assetId() + " at " + key
                    + " does not match its content address (sha256 " + sha256 + ", " + size + " bytes)");
        }
        String filename = asset.filename() != null ? asset.filename() : asset.assetId().toString();
        StagedUpload upload = new StagedUpload(asset.assetId(), asset.tenantId(), size, Map.of("filename", filename), List.of());
        return new ScannedFile(new AssembledFile(upload, file, size, sha256), asset.scanEngine());
    }
}
