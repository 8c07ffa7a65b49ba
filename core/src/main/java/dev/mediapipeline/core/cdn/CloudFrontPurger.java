package dev.mediapipeline.core.cdn;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationRequest;

/**
 * Purges a CloudFront distribution with {@code CreateInvalidation}. A batch becomes one invalidation,
 * or several within CloudFront's limits: at most {@value #MAX_PATHS} paths each, of which at most
 * {@value #MAX_WILDCARDS} wildcards; a prefix becomes {@code <prefix>*}. Paths are sent percent-encoded
 * (spaces, non-ASCII: see {@link PurgeBatch}), as CloudFront wants them.
 *
 * <p>Each invalidation carries a caller reference made from the batch id, its place in the batch and a
 * digest of its paths: unique per batch, and the same when the same batch is sent again. CloudFront
 * answers a repeated reference with the same paths with the invalidation it already made, so a retry
 * after a partial failure (the first of two invalidations made, the second refused) makes nothing twice.
 * {@link Purger#purge(java.util.List)} and {@link Purger#purgePrefix(String)} send a batch of their own
 * under a random id: a caller that retries records the batch and sends it again with {@link #purge(PurgeBatch)}.
 *
 * <p>The SDK does not retry here (the purge job does, later); a call takes at most 30 s, connecting 5 s,
 * and a successful answer is read only up to 64 KB beyond the paths it echoes. Retryable: 5xx, throttling, too many invalidations
 * in progress, no answer. Not retryable: any other refusal (credentials, an unknown distribution).
 */
public final class CloudFrontPurger implements Purger, AutoCloseable {

    static final int MAX_PATHS = 3000;
    static final int MAX_WILDCARDS = 15;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 64 * 1024;

    private final String distributionId;
    private final CloudFrontClient client;

    /**
     * @param endpoint  null for CloudFront itself; another address (a loopback server in tests) otherwise
     * @param accessKey null or blank for the AWS default credential chain
     */
    public CloudFrontPurger(String distributionId, URI endpoint, String accessKey, String secretKey) {
        if (distributionId == null || !distributionId.matches("[A-Z0-9]{1,64}")) {
            throw new IllegalArgumentException("a CloudFront distribution id is upper-case letters and digits, like E2QWRUHAPOMQZL, not " + distributionId);
        }
        this.distributionId = distributionId;
        var builder = CloudFrontClient.builder()
                // CloudFront is global: every region of the aws partition resolves to cloudfront.amazonaws.com, signed for us-east-1
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(accessKey, secretKey))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(CALL_TIMEOUT))
                .overrideConfiguration(c -> c
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new BoundedAnswers()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.client = builder.build();
    }

    @Override
    public String name() {
        return "cloudfront";
    }

    @Override
    public void purge(PurgeBatch batch) throws PurgeException {
        List<List<String>> invalidations = invalidations(batch);
        for (int i = 0; i < invalidations.size(); i++) {
            List<String> paths = invalidations.get(i);
            String reference = callerReference(batch.id(), i + 1, paths);
            try {
                client.createInvalidation(r -> r.distributionId(distributionId).invalidationBatch(b -> b
                        .callerReference(reference)
                        .paths(p -> p.quantity(paths.size()).items(paths))));
            } catch (CloudFrontException e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                boolean retryable = e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
                        || "TooManyInvalidationsInProgress".equals(code);
                throw new PurgeException("CloudFront refused invalidation " + reference + " (" + (i + 1) + " of " + invalidations.size()
                        + ") of distribution " + distributionId + ": " + e.statusCode() + " " + code + ": " + message, retryable, e);
            } catch (SdkClientException e) {
                throw new PurgeException("CloudFront did not answer invalidation " + reference + " of distribution " + distributionId
                        + ": " + e.getMessage(), true, e);
            }
        }
    }

    /** The batch's paths, then its prefixes as {@code <prefix>*}, cut into invalidations within CloudFront's limits. */
    static List<List<String>> invalidations(PurgeBatch batch) {
        List<List<String>> invalidations = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int wildcards = 0;
        List<String> items = new ArrayList<>(batch.paths());
        batch.prefixes().forEach(prefix -> items.add(prefix + "*"));
        for (String item : items) {
            boolean wildcard = item.endsWith("*");
            if (current.size() == MAX_PATHS || (wildcard && wildcards == MAX_WILDCARDS)) {
                invalidations.add(List.copyOf(current));
                current.clear();
                wildcards = 0;
            }
            current.add(item);
            if (wildcard) {
                wildcards++;
            }
        }
        if (!current.isEmpty()) {
            invalidations.add(List.copyOf(current));
        }
        return invalidations;
    }

    /** {@code <batch id>:<n>:<16 hex digits of the SHA-256 of the paths>}: the same batch and paths give the same reference. */
    static String callerReference(String batchId, int n, List<String> paths) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String path : paths) {
                sha256.update(path.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
            }
            return batchId + ":" + n + ":" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        return accessKey == null || accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /**
     * Lets the SDK read at most {@value #MAX_ANSWER} bytes of a successful answer beyond the paths it
     * echoes: CloudFront answers with the whole invalidation batch, every path listed (XML-escaped,
     * so up to six times as long).
     */
    private static final class BoundedAnswers implements ExecutionInterceptor {

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            long limit = MAX_ANSWER;
            if (context.request() instanceof CreateInvalidationRequest request && request.invalidationBatch() != null
                    && request.invalidationBatch().paths() != null) {
                for (String path : request.invalidationBatch().paths().items()) {
                    limit += 6L * (path.length() + 16);
                }
            }
            long bound = limit;
            return context.responseBody().map(body -> new FilterInputStream(body) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > bound) {
                        throw new IOException("CloudFront's answer is over " + bound + " bytes");
                    }
                }
            });
        }
    }
}
