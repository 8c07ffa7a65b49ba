package dev.mediapipeline.core.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The object storage port: buckets of immutable objects addressed by key. The S3 adapter is the
 * only implementation; it speaks to AWS, R2, MinIO or the embedded S3Proxy alike. Failures of the
 * service surface as {@link dev.mediapipeline.core.error.TransientException}.
 */
public interface ObjectStore {

    /** Creates the bucket unless it exists already. */
    void ensureBucket(String bucket);

    /** Uploads a local file, replacing any object under the key. */
    default void put(String bucket, String key, Path file, String contentType) {
        put(bucket, key, file, new PutOptions(contentType, null, null));
    }

    /** Uploads a local file with its headers, replacing any object under the key. */
    void put(String bucket, String key, Path file, PutOptions options);

    /**
     * Uploads a local file under a key only if no object has that key yet ({@code If-None-Match: *}).
     * With content-addressed keys, an object already there holds the same bytes.
     *
     * @return true if this call stored it, false if it was already there (412)
     */
    boolean putIfAbsent(String bucket, String key, Path file, PutOptions options);

    /** Opens an object for reading; the caller closes the stream. Empty when there is no such object. */
    Optional<InputStream> get(String bucket, String key);

    /** Size and type of an object, or empty when there is none. */
    Optional<ObjectInfo> head(String bucket, String key);

    /** Keys under a prefix, in key order. */
    List<String> list(String bucket, String prefix);

    /** Removes one object; removing a missing one is not an error. */
    void delete(String bucket, String key);

    /** Removes every object under a prefix and returns how many there were. */
    int deletePrefix(String bucket, String prefix);

    /** Starts a multipart upload and returns its id. */
    String createMultipartUpload(String bucket, String key, PutOptions options);

    /** Uploads one part (1 to 10000; every part but the last at least 5 MiB) and returns its ETag. */
    String uploadPart(String bucket, String key, String uploadId, int partNumber, Path file);

    /** Joins the parts into the object. */
    void completeMultipartUpload(String bucket, String key, String uploadId, List<Part> parts);

    /** Abandons a multipart upload and its parts; abandoning an unknown one is not an error. */
    void abortMultipartUpload(String bucket, String key, String uploadId);

    /** A URL that lets anyone holding it GET the object until it expires. */
    java.net.URI presignGet(String bucket, String key, java.time.Duration expiry, String downloadFilename);

    record Part(int number, String etag) {
    }

    record ObjectInfo(String key, long size, String contentType, String cacheControl) {
    }

    /**
     * @param cacheControl         null for none
     * @param serverSideEncryption null for none, else {@code AES256} or {@code aws:kms}
     */
    record PutOptions(String contentType, String cacheControl, String serverSideEncryption) {
    }
}
