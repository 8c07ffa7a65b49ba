package dev.mediapipeline.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The object storage port: buckets of immutable objects addressed by key. The S3 adapter is the
 * only implementation; it speaks to AWS, R2, MinIO or the embedded S3Proxy alike. Failures of the
 * service surface as {@link dev.mediapipeline.core.error.TransientException}, and so does a failure
 * while an object's bytes are being read ({@link #copyTo}).
 */
public interface ObjectStore {

    /**
     * Creates the bucket unless it exists already, as a {@link BucketRole#KEPT} bucket (or as the role
     * the implementation knows the bucket by: the S3 adapter knows its staging bucket's name).
     */
    void ensureBucket(String bucket);

    /**
     * Creates the bucket unless it exists already, with the lifecycle rules its role asks for where
     * the store implements them. Stores that know no roles create it as {@link #ensureBucket(String)} does.
     */
    default void ensureBucket(String bucket, BucketRole role) {
        ensureBucket(bucket);
    }

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

    /**
     * Opens an object for reading; the caller closes the stream. Empty when there is no such object.
     * Reading the stream reads the network: an {@link IOException} it throws (a connection reset half
     * way through the body) is the service's fault, not the caller's, so callers that copy an object
     * somewhere use {@link #copyTo}, which tells the two apart.
     */
    Optional<InputStream> get(String bucket, String key);

    /**
     * Copies an object's bytes into {@code out} (which stays open) and returns how many there were;
     * empty when there is no such object.
     *
     * <p>The two sides fail differently. Whatever goes wrong while the object is <em>read</em> (an
     * {@link IOException} or runtime exception of the response stream: the connection reset or closed
     * before the body's declared length, a read timeout, the SDK's own errors) is the network's or the
     * store's, so it is thrown as a {@link dev.mediapipeline.core.error.TransientException} and the work
     * is retried; the bytes already written to {@code out} are the caller's to discard. Whatever
     * {@code out} throws (the local disk full or failing, the temp directory gone) is rethrown as it
     * is: retrying the same copy onto the same disk would not help, and the caller decides what a
     * local failure means. One exception: a read that fails while the thread is interrupted (a
     * shutdown) stays the {@link IOException} it is, so the caller sees the interruption.
     */
    default OptionalLong copyTo(String bucket, String key, OutputStream out) throws IOException {
        Optional<InputStream> object = get(bucket, key);
        if (object.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ObjectCopy.copy(object.get(), out, bucket + "/" + key));
    }

    /**
     * Opens bytes {@code first} to {@code last} (inclusive) of an object; the caller closes the
     * stream. Empty when there is no such object. This default reads from the start and skips; the
     * S3 store asks for the range itself.
     */
    default Optional<InputStream> get(String bucket, String key, long first, long last) {
        return get(bucket, key).map(in -> {
            try {
                in.skipNBytes(first);
            } catch (java.io.IOException e) {
                try {
                    in.close();
                } catch (java.io.IOException ignored) {
                    // the skip's failure is the one to report
                }
                throw new dev.mediapipeline.core.error.TransientException("reading " + bucket + "/" + key + " failed: " + e.getMessage(), e);
            }
            return new java.io.FilterInputStream(in) {
                private long left = last - first + 1;

                @Override
                public int read() throws java.io.IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, offset, (int) Math.min(length, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        });
    }

    /** Size and type of an object, or empty when there is none. */
    Optional<ObjectInfo> head(String bucket, String key);

    /** Keys under a prefix, in key order. */
    List<String> list(String bucket, String prefix);

    /** Removes one object; removing a missing one is not an error. */
    void delete(String bucket, String key);

    /** Removes every object under a prefix and returns how many there were. */
    int deletePrefix(String bucket, String prefix);

    /** Removes these objects, many to a request where the store can; missing ones are not an error. */
    default void deleteAll(String bucket, List<String> keys) {
        keys.forEach(key -> delete(bucket, key));
    }

    /**
     * Whether this store has made sure that the bucket expires staged chunks ({@code uploads/<id>/})
     * by a lifecycle rule of its own: then a chunk a crash left without its row goes in the end, and
     * the clean-up may remove the chunks it knows of instead of listing each upload's prefix.
     */
    default boolean expiresStagedChunks(String bucket) {
        return false;
    }

    /**
     * Starts a multipart upload and returns its id. A caller that abandons the upload (rather than
     * keeping it for a restart to resume) aborts it; buckets this application creates also abort
     * uploads left incomplete for a day ({@code media.s3.lifecycle.abort-incomplete-uploads-after}).
     * {@link PutOptions#sha256()} does not apply: it is the checksum of a whole object's bytes.
     */
    String createMultipartUpload(String bucket, String key, PutOptions options);

    /** Uploads one part (1 to 10000; every part but the last at least 5 MiB) and returns its ETag. */
    String uploadPart(String bucket, String key, String uploadId, int partNumber, Path file);

    /** Joins the parts into the object. */
    void completeMultipartUpload(String bucket, String key, String uploadId, List<Part> parts);

    /** Abandons a multipart upload and its parts; abandoning an unknown one is not an error. */
    void abortMultipartUpload(String bucket, String key, String uploadId);

    /**
     * Aborts an abandoned multipart upload while {@code failure} is on its way up: an error of the
     * abort itself is added to {@code failure} as suppressed instead of replacing it (the bucket's
     * lifecycle rule aborts the upload later anyway).
     */
    default void abortAfterFailure(String bucket, String key, String uploadId, Throwable failure) {
        try {
            abortMultipartUpload(bucket, key, uploadId);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** A URL that lets anyone holding it GET the object until it expires. */
    java.net.URI presignGet(String bucket, String key, java.time.Duration expiry, String downloadFilename);

    /**
     * What a bucket holds, which decides the lifecycle rules it is created with: every bucket aborts
     * multipart uploads left incomplete; a staging bucket also expires its objects, a last resort
     * behind the application's own cleanup of expired and finished uploads.
     */
    enum BucketRole {
        /** Objects that live until the application deletes them: published files, quarantine. */
        KEPT,
        /** Chunks of uploads in flight, removed by the application once ingested or expired. */
        STAGING
    }

    record Part(int number, String etag) {
    }

    record ObjectInfo(String key, long size, String contentType, String cacheControl) {
    }

    /**
     * @param cacheControl         null for none
     * @param serverSideEncryption null for none, else {@code AES256} or {@code aws:kms}
     * @param sha256               the SHA-256 of the bytes (hex, as content addresses are written), or
     *                             null: sent as {@code x-amz-checksum-sha256} so that the store checks
     *                             the bytes it received against it and refuses them (400 BadDigest)
     *                             when they differ, where {@code media.s3.checksums} is on
     */
    record PutOptions(String contentType, String cacheControl, String serverSideEncryption, String sha256) {

        public PutOptions {
            if (sha256 != null) {
                if (!sha256.matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException("not a hex sha256: " + sha256);
                }
                sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
            }
        }

        /** Options without a checksum. */
        public PutOptions(String contentType, String cacheControl, String serverSideEncryption) {
            this(contentType, cacheControl, serverSideEncryption, null);
        }

        /** These options with the SHA-256 (lowercase hex) of the bytes they go with. */
        public PutOptions withSha256(String sha256) {
            return new PutOptions(contentType, cacheControl, serverSideEncryption, sha256);
        }

        /** The checksum as S3's {@code x-amz-checksum-sha256} wants it: the digest's 32 bytes in base64; null without one. */
        public String sha256Base64() {
            return sha256 == null ? null : java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
        }
    }
}
