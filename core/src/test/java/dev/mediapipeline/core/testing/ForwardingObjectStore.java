package dev.mediapipeline.core.testing;

import dev.mediapipeline.core.storage.ObjectStore;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real object store with every call passed through: a test's store that pauses or fails some
 * writes extends it and overrides only those.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

    protected final ObjectStore real;

    protected ForwardingObjectStore(ObjectStore real) {
        this.real = real;
    }

    @Override
    public void ensureBucket(String bucket) {
        real.ensureBucket(bucket);
    }

    @Override
    public void put(String bucket, String key, Path file, PutOptions options) {
        real.put(bucket, key, file, options);
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, Path file, PutOptions options) {
        return real.putIfAbsent(bucket, key, file, options);
    }

    @Override
    public Optional<InputStream> get(String bucket, String key) {
        return real.get(bucket, key);
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        return real.head(bucket, key);
    }

    @Override
    public List<String> list(String bucket, String prefix) {
        return real.list(bucket, prefix);
    }

    @Override
    public void delete(String bucket, String key) {
        real.delete(bucket, key);
    }

    @Override
    public int deletePrefix(String bucket, String prefix) {
        return real.deletePrefix(bucket, prefix);
    }

    @Override
    public void deleteAll(String bucket, java.util.List<String> keys) {
        real.deleteAll(bucket, keys);
    }

    @Override
    public boolean expiresStagedChunks(String bucket) {
        return real.expiresStagedChunks(bucket);
    }

    @Override
    public String createMultipartUpload(String bucket, String key, PutOptions options) {
        return real.createMultipartUpload(bucket, key, options);
    }

    @Override
    public String uploadPart(String bucket, String key, String uploadId, int partNumber, Path file) {
        return real.uploadPart(bucket, key, uploadId, partNumber, file);
    }

    @Override
    public void completeMultipartUpload(String bucket, String key, String uploadId, List<Part> parts) {
        real.completeMultipartUpload(bucket, key, uploadId, parts);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        real.abortMultipartUpload(bucket, key, uploadId);
    }

    @Override
    public URI presignGet(String bucket, String key, Duration expiry, String downloadFilename) {
        return real.presignGet(bucket, key, expiry, downloadFilename);
    }
}
