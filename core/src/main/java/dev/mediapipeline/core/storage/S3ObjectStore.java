package dev.mediapipeline.core.storage;

import dev.mediapipeline.core.error.TransientException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} over the AWS SDK v2 S3 client: any S3-compatible endpoint.
 *
 * <p>Objects put with a {@link PutOptions#sha256()} carry it as {@code x-amz-checksum-sha256} (unless
 * {@code media.s3.checksums} is off): the store hashes what it received and refuses the put with 400
 * BadDigest when it differs, so a published object is the bytes its content address names. A
 * BadDigest is retried as a transient fault (the bytes were damaged on the way); a local file that
 * changed since it was hashed keeps failing, and fails the write once the retries are spent.
 *
 * <p>Buckets it creates get lifecycle rules ({@link S3Properties.Lifecycle}) where the store
 * implements them.
 */
public class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final int DELETE_BATCH = 1000;
    /** Ids of the lifecycle rules this class sets: a bucket holding only these may have them replaced. */
    static final String RULE_PREFIX = "media-pipeline-";
    /** The bytes arrived other than they were sent: sending them again is the cure. */
    private static final Set<String> DAMAGED_IN_TRANSIT = Set.of("BadDigest", "XAmzContentSHA256Mismatch");

    private final S3Client s3;
    private final S3Presigner presigner;
    private final boolean checksums;
    private final S3Properties.Lifecycle lifecycle;
    /** The staging bucket's name, which {@link #ensureBucket(String)} knows by it; null when not told. */
    private final String stagingBucket;
    private volatile boolean lifecycleUnsupported;
    /** Buckets this store has seen or given its staging expiry rule. */
    private final java.util.Set<String> expiringStaging = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Where the staging path keeps uploads' chunks ({@code Upload.chunkPrefix}): the staging expiry applies under it only. */
    static final String STAGED_CHUNKS = "uploads/";

    public S3ObjectStore(S3Client s3) {
        this(s3, null);
    }

    /** @param presigner signs download links; null when this store makes none */
    public S3ObjectStore(S3Client s3, S3Presigner presigner) {
        this(s3, presigner, true, S3Properties.Lifecycle.defaults(), null);
    }

    /**
     * A store configured by {@code media.s3}: its checksums, its lifecycle rules, and which of its
     * buckets is the staging bucket.
     *
     * @param presigner signs download links; null when this store makes none
     */
    public S3ObjectStore(S3Client s3, S3Presigner presigner, S3Properties properties) {
        this(s3, presigner, properties.checksums(), properties.lifecycle(), separateStaging(properties.buckets()));
    }

    /**
     * The staging bucket, when it is a bucket of its own: one shared with the published or quarantine
     * bucket must never get the staging expiry rule (it would delete published objects).
     */
    private static String separateStaging(S3Properties.Buckets buckets) {
        if (buckets.staging().equals(buckets.published()) || buckets.staging().equals(buckets.quarantine())) {
            log.warn("the staging bucket {} is also the published or quarantine bucket: it gets no expiry rule", buckets.staging());
            return null;
        }
        return buckets.staging();
    }

    private S3ObjectStore(S3Client s3, S3Presigner presigner, boolean checksums, S3Properties.Lifecycle lifecycle,
            String stagingBucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.checksums = checksums;
        this.lifecycle = lifecycle;
        this.stagingBucket = stagingBucket;
    }

    /** Creates the bucket unless it exists; the configured staging bucket as {@link BucketRole#STAGING}, any other as kept. */
    @Override
    public void ensureBucket(String bucket) {
        ensureBucket(bucket, bucket.equals(stagingBucket) ? BucketRole.STAGING : BucketRole.KEPT);
    }

    /**
     * Creates the bucket unless it exists, then gives it this application's lifecycle rules unless it
     * has rules of someone else's (see {@link S3Properties.Lifecycle}). Failing to set the rules does
     * not fail: they are housekeeping, the application's own cleanup does the same work.
     */
    @Override
    public void ensureBucket(String bucket, BucketRole role) {
        call("create bucket " + bucket, () -> {
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException missing) {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException raced) {
                    // created by another instance in between: what we wanted
                }
            }
            return null;
        });
        if (lifecycle.enabled() && !lifecycleUnsupported) {
            applyLifecycle(bucket, role);
        }
    }

    /** The rules a bucket of this role gets. */
    List<LifecycleRule> lifecycleRules(BucketRole role) {
        List<LifecycleRule> rules = new ArrayList<>();
        int abortDays = S3Properties.Lifecycle.days(lifecycle.abortIncompleteUploadsAfter());
        rules.add(LifecycleRule.builder().id(RULE_PREFIX + "abort-incomplete-multipart-uploads")
                .status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(abortDays)).build());
        if (role == BucketRole.STAGING) {
            int expiryDays = S3Properties.Lifecycle.days(lifecycle.stagingExpiry());
            // only the staged chunks (Upload.chunkPrefix: uploads/<id>/), never anything else kept in the bucket
            rules.add(LifecycleRule.builder().id(RULE_PREFIX + "expire-staged-objects")
                    .status(ExpirationStatus.ENABLED).filter(f -> f.prefix(STAGED_CHUNKS))
                    .expiration(e -> e.days(expiryDays)).build());
        }
        return rules;
    }

    private void applyLifecycle(String bucket, BucketRole role) {
        List<LifecycleRule> rules = lifecycleRules(role);
        try {
            List<LifecycleRule> current = currentLifecycleRules(bucket);
            List<String> foreign = current.stream().map(LifecycleRule::id)
                    .filter(id -> id == null || !id.startsWith(RULE_PREFIX)).toList();
            if (!foreign.isEmpty()) {
                // a put replaces the whole configuration: rules someone else set stand, ours are not added
                log.info("bucket {} has lifecycle rules of its own ({}): left as they are, without this application's", bucket, foreign);
                return;
            }
            if (current.equals(rules)) {
                if (role == BucketRole.STAGING) {
                    expiringStaging.add(bucket);
                }
                return;
            }
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
            if (role == BucketRole.STAGING) {
                expiringStaging.add(bucket);
            }
            log.info("bucket {} ({}): incomplete multipart uploads aborted after {} day(s){}", bucket, role,
                    S3Properties.Lifecycle.days(lifecycle.abortIncompleteUploadsAfter()),
                    role == BucketRole.STAGING ? ", objects expired after " + S3Properties.Lifecycle.days(lifecycle.stagingExpiry())
                            + " day(s)" : "");
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || "NotImplemented".equals(errorCode(e))) {
                lifecycleUnsupported = true;
                log.info("this S3 store does not implement bucket lifecycle rules (501 NotImplemented), so bucket {} and the "
                        + "others get none: abandoned multipart uploads and stale staging objects are left to the "
                        + "application's own cleanup", bucket);
            } else {
                log.warn("could not set the lifecycle rules of bucket {}: {}", bucket, e.getMessage());
            }
        } catch (SdkException e) {
            log.warn("could not set the lifecycle rules of bucket {}: {}", bucket, e.getMessage());
        }
    }

    /** The bucket's lifecycle rules; none when it has no configuration (404 NoSuchLifecycleConfiguration). */
    private List<LifecycleRule> currentLifecycleRules(String bucket) {
        try {
            return s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
                return List.of();
            }
            throw e;
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public void put(String bucket, String key, Path file, PutOptions options) {
        call("put " + bucket + "/" + key, () -> s3.putObject(b -> headers(b.bucket(bucket).key(key), options),
                RequestBody.fromFile(file)));
    }

    /** Content type, cache header, encryption and checksum of a put. */
    private void headers(PutObjectRequest.Builder b, PutOptions options) {
        b.contentType(options.contentType());
        if (options.cacheControl() != null) {
            b.cacheControl(options.cacheControl());
        }
        if (options.serverSideEncryption() != null) {
            b.serverSideEncryption(options.serverSideEncryption());
        }
        if (checksums && options.sha256() != null) {
            // a checksum header of the caller's own: the SDK then computes none (and sends no trailer)
            b.checksumSHA256(options.sha256Base64());
        }
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, Path file, PutOptions options) {
        try {
            call("put " + bucket + "/" + key, () -> s3.putObject(b -> headers(b.bucket(bucket).key(key).ifNoneMatch("*"), options),
                    RequestBody.fromFile(file)));
            return true;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<InputStream> get(String bucket, String key) {
        return call("get " + bucket + "/" + key, () -> {
            try {
                return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
            } catch (NoSuchKeyException missing) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<InputStream> get(String bucket, String key, long first, long last) {
        return call("get " + bucket + "/" + key + " bytes " + first + "-" + last, () -> {
            try {
                return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + first + "-" + last)));
            } catch (NoSuchKeyException missing) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        return call("head " + bucket + "/" + key, () -> {
            try {
                HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
                return Optional.of(new ObjectInfo(key, head.contentLength(), head.contentType(), head.cacheControl()));
            } catch (NoSuchKeyException missing) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> list(String bucket, String prefix) {
        return call("list " + bucket + "/" + prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().stream().map(S3Object::key).toList());
    }

    @Override
    public void delete(String bucket, String key) {
        call("delete " + bucket + "/" + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public int deletePrefix(String bucket, String prefix) {
        List<String> keys = list(bucket, prefix);
        deleteAll(bucket, keys, "under " + bucket + "/" + prefix);
        return keys.size();
    }

    @Override
    public void deleteAll(String bucket, List<String> keys) {
        deleteAll(bucket, keys, "in " + bucket);
    }

    private void deleteAll(String bucket, List<String> keys, String where) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))) {
                batch.add(ObjectIdentifier.builder().key(key).build());
            }
            var answer = call("delete " + batch.size() + " objects " + where, () -> s3.deleteObjects(
                    b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
            // quiet: only the keys that were not deleted come back; one already gone is what was asked (some stores say NoSuchKey)
            var failed = answer.hasErrors() ? answer.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList() : List.<S3Error>of();
            if (!failed.isEmpty()) {
                throw new TransientException("S3 could not delete " + failed.size() + " of " + batch.size() + " objects " + where
                        + ", " + failed.getFirst().key() + " first: " + failed.getFirst().code() + " " + failed.getFirst().message());
            }
        }
    }

    @Override
    public boolean expiresStagedChunks(String bucket) {
        return expiringStaging.contains(bucket);
    }

    @Override
    public String createMultipartUpload(String bucket, String key, PutOptions options) {
        return call("start multipart upload " + bucket + "/" + key, () -> s3.createMultipartUpload(b -> {
            b.bucket(bucket).key(key).contentType(options.contentType());
            if (options.cacheControl() != null) {
                b.cacheControl(options.cacheControl());
            }
            if (options.serverSideEncryption() != null) {
                b.serverSideEncryption(options.serverSideEncryption());
            }
        }).uploadId());
    }

    @Override
    public String uploadPart(String bucket, String key, String uploadId, int partNumber, Path file) {
        return call("upload part " + partNumber + " of " + bucket + "/" + key, () -> s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber), RequestBody.fromFile(file)).eTag());
    }

    @Override
    public void completeMultipartUpload(String bucket, String key, String uploadId, List<Part> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        call("complete multipart upload " + bucket + "/" + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())));
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        try {
            call("abort multipart upload " + bucket + "/" + key, () -> s3.abortMultipartUpload(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId)));
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof NoSuchUploadException)) {
                throw e;
            }
        }
    }

    @Override
    public URI presignGet(String bucket, String key, Duration expiry, String downloadFilename) {
        if (presigner == null) {
            throw new IllegalStateException("this object store was made without a presigner");
        }
        return call("presign " + bucket + "/" + key, () -> {
            try {
                return presigner.presignGetObject(b -> b.signatureDuration(expiry).getObjectRequest(g -> {
                    g.bucket(bucket).key(key);
                    if (downloadFilename != null) {
                        g.responseContentDisposition("attachment; filename=\"" + downloadFilename.replace("\"", "") + "\"");
                    }
                })).url().toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (S3Exception e) {
            String code = errorCode(e);
            if (e.statusCode() >= 500 || e.statusCode() == 429 || (code != null && DAMAGED_IN_TRANSIT.contains(code))) {
                throw new TransientException("S3 " + what + " failed: " + e.getMessage(), e);
            }
            // 403, a missing bucket and the like are configuration errors: retrying cannot help
            throw new IllegalStateException("S3 " + what + " refused: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new TransientException("S3 " + what + " failed: " + e.getMessage(), e);
        }
    }
}
