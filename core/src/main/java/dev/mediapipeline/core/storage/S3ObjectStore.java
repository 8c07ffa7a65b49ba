package dev.mediapipeline.core.storage;

import dev.mediapipeline.core.error.TransientException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} over the AWS SDK v2 S3 client: any S3-compatible endpoint. */
public class S3ObjectStore implements ObjectStore {

    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final S3Presigner presigner;

    public S3ObjectStore(S3Client s3) {
        this(s3, null);
    }

    /** @param presigner signs download links; null when this store makes none */
    public S3ObjectStore(S3Client s3, S3Presigner presigner) {
        this.s3 = s3;
        this.presigner = presigner;
    }

    @Override
    public void ensureBucket(String bucket) {
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
    }

    @Override
    public void put(String bucket, String key, Path file, PutOptions options) {
        call("put " + bucket + "/" + key, () -> s3.putObject(b -> {
            b.bucket(bucket).key(key).contentType(options.contentType());
            if (options.cacheControl() != null) {
                b.cacheControl(options.cacheControl());
            }
            if (options.serverSideEncryption() != null) {
                b.serverSideEncryption(options.serverSideEncryption());
            }
        }, RequestBody.fromFile(file)));
    }

    @Override
    public boolean putIfAbsent(String bucket, String key, Path file, PutOptions options) {
        try {
            call("put " + bucket + "/" + key, () -> s3.putObject(b -> {
                b.bucket(bucket).key(key).contentType(options.contentType()).ifNoneMatch("*");
                if (options.cacheControl() != null) {
                    b.cacheControl(options.cacheControl());
                }
                if (options.serverSideEncryption() != null) {
                    b.serverSideEncryption(options.serverSideEncryption());
                }
            }, RequestBody.fromFile(file)));
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
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))) {
                batch.add(ObjectIdentifier.builder().key(key).build());
            }
            call("delete " + batch.size() + " objects under " + bucket + "/" + prefix, () -> s3.deleteObjects(
                    b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
        }
        return keys.size();
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
            if (e.statusCode() >= 500 || e.statusCode() == 429) {
                throw new TransientException("S3 " + what + " failed: " + e.getMessage(), e);
            }
            // 403, a missing bucket and the like are configuration errors: retrying cannot help
            throw new IllegalStateException("S3 " + what + " refused: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new TransientException("S3 " + what + " failed: " + e.getMessage(), e);
        }
    }
}
