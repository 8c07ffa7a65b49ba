package dev.mediapipeline.core.storage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the objects live. With no {@code endpoint} the application starts S3Proxy in-process (the
 * embedded default); with one it talks to that S3-compatible service (AWS, R2, MinIO). Without
 * keys the AWS default credential chain applies.
 *
 * @param checksums whether published objects are written with {@code x-amz-checksum-sha256} (the
 *                  SHA-256 their content address names; a stream file's, taken as it is put), which
 *                  the store checks against the bytes it received, refusing them when they differ
 *                  (400 BadDigest). AWS and S3Proxy 4.1 (the embedded store) check it; turn it off only
 *                  for a store that refuses the header
 * @param lifecycle the lifecycle rules of the buckets this application creates
 */
@Validated
@ConfigurationProperties("media.s3")
public record S3Properties(
        URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        @DefaultValue("false") boolean pathStyle,
        String accessKey,
        String secretKey,
        @DefaultValue("true") boolean createBuckets,
        @DefaultValue @Valid @NotNull Buckets buckets,
        @DefaultValue("true") boolean checksums,
        @DefaultValue @Valid @NotNull Lifecycle lifecycle) {

    public record Buckets(
            @DefaultValue("media-staging") @NotBlank String staging,
            @DefaultValue("media-final") @NotBlank String published,
            @DefaultValue("media-quarantine") @NotBlank String quarantine) {
    }

    /**
     * Lifecycle rules, set when the application makes sure of its buckets ({@code create-buckets}) on a
     * bucket that has none or only these; a bucket with rules of someone else's keeps them untouched.
     * S3 counts in whole days: durations are rounded up to days, at least one. Stores that do not
     * implement lifecycle rules (S3Proxy answers 501 NotImplemented) get none, said once in the log.
     *
     * @param enabled                     whether to set them at all
     * @param abortIncompleteUploadsAfter every bucket: a multipart upload not completed this long after it
     *                                    started is aborted and its parts deleted. A batch download's
     *                                    upload stays open while its job is stopped or FAILED, so that a
     *                                    restart resumes it: a restart later than this finds its upload
     *                                    gone (404 NoSuchUpload) and fails again
     * @param stagingExpiry               the staging bucket: an object this old is deleted. The
     *                                    application removes a finished upload's chunks itself, an
     *                                    unfinished one's after {@code media.staging.expiry} (24h) and a
     *                                    refused one's after {@code media.ingest.rejected-retention} (7d,
     *                                    counted from the refusal, not from the upload): this is the
     *                                    backstop for what a crash leaves, so it outlasts both
     */
    public record Lifecycle(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1d") @NotNull Duration abortIncompleteUploadsAfter,
            @DefaultValue("14d") @NotNull Duration stagingExpiry) {

        /** The defaults above, for a store built without properties. */
        public static Lifecycle defaults() {
            return new Lifecycle(true, Duration.ofDays(1), Duration.ofDays(14));
        }

        /** A duration as S3's whole days: rounded up, at least one. */
        static int days(Duration duration) {
            long days = duration.toDays();
            if (duration.compareTo(Duration.ofDays(days)) > 0) {
                days++;
            }
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, days));
        }
    }
}
