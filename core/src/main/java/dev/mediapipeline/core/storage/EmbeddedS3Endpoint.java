package dev.mediapipeline.core.storage;

import java.net.URI;

/**
 * Published by the application when it runs its own S3 server (the embedded default): the S3
 * client then talks to it, path-style, instead of the configured endpoint.
 */
public record EmbeddedS3Endpoint(URI endpoint, String accessKey, String secretKey) {
}
