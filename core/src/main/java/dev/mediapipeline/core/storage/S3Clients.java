package dev.mediapipeline.core.storage;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the SDK's S3 client for AWS or any S3-compatible endpoint. */
public final class S3Clients {

    private S3Clients() {
    }

    /**
     * @param endpoint null for AWS itself
     * @param accessKey null for the AWS default credential chain
     */
    public static S3Client create(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
        return create(endpoint, region, pathStyle, accessKey, secretKey, null);
    }

    /** As {@link #create(URI, String, boolean, String, String)}, with an interceptor (the request counter), or none when null. */
    public static S3Client create(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey,
            software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        AwsCredentialsProvider credentials = credentials(accessKey, secretKey);
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                // S3-compatible services (S3Proxy, older MinIO, R2) reject the SDK's default
                // trailing checksums (aws-chunked bodies with a CRC32 trailer), so the SDK adds a
                // checksum only where the operation requires one (DeleteObjects, a bucket's lifecycle
                // configuration), in a header. Published objects carry their own sha256 as an
                // x-amz-checksum-sha256 header instead (S3ObjectStore, media.s3.checksums): a request
                // with a checksum header of its own gets none from the SDK, and the store verifies it
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (interceptor != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(interceptor));
        }
        return builder.build();
    }

    /** Signs download links for the same service as {@link #create}. */
    public static S3Presigner presigner(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
        var builder = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials(accessKey, secretKey))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        return accessKey == null || accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
}
