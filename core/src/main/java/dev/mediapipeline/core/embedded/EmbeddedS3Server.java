package dev.mediapipeline.core.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-protocol server (S3Proxy) in-process on a loopback port. With a directory it keeps the
 * objects on disk (the embedded default: they survive restarts); without one it keeps them in memory.
 * Clients use path-style addressing and the credentials this server reports.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);
    public static final String ACCESS_KEY = "media-pipeline";
    public static final String SECRET_KEY = "media-pipeline-local-secret";

    private final S3Proxy proxy;

    private EmbeddedS3Server(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Starts S3Proxy with the filesystem backend under {@code directory}. */
    public static EmbeddedS3Server startFilesystem(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        return start("filesystem", properties);
    }

    /** Starts S3Proxy with objects held in memory: for tests that want nothing left behind. */
    public static EmbeddedS3Server startTransient() {
        return start("transient", new Properties());
    }

    private static EmbeddedS3Server start(String provider, Properties properties) {
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create(provider, properties))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // the SDK sends headers S3Proxy does not know (checksums, multipart client)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy (" + provider + ")", e);
        }
        EmbeddedS3Server server = new EmbeddedS3Server(proxy);
        log.info("embedded S3 ({}) at {}", provider, server.endpoint());
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3Proxy", e);
        }
    }
}
