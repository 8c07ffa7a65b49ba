package dev.mediapipeline.app.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <media.home>/services.properties}: where the server's embedded services listen (PostgreSQL
 * and S3 on free loopback ports, the broker), written by {@code ./media serve} on the embedded defaults
 * and removed when it stops, so that {@code ./media worker} on the same machine and home finds them
 * with nothing configured ({@link WorkerServices}). Only the embedded services are written: they hold
 * no secret beyond the fixed loopback credentials of S3Proxy. The file is its owner's only (0600).
 */
public final class ServicesFile implements AutoCloseable {

    public static final String NAME = "services.properties";
    /** The properties it may hold: a worker takes no other from it. */
    static final Set<String> KEYS = Set.of("spring.datasource.url", "spring.datasource.username", "media.s3.endpoint", "media.s3.path-style",
            "media.s3.access-key", "media.s3.secret-key", "media.broker.url");
    private static final long MAX_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ServicesFile.class);

    private final Path file;

    private ServicesFile(Path file) {
        this.file = file;
    }

    /** Writes the file (replacing one left by a server that died) and returns it; {@link #close} removes it. */
    static ServicesFile write(Path home, Map<String, String> services) {
        Path file = home.resolve(NAME);
        if (services.isEmpty()) {
            new ServicesFile(file).close(); // none embedded: a file left by an earlier server must not send workers to it
            return new ServicesFile(null);
        }
        try {
            Files.createDirectories(home);
            Path temp = Files.createTempFile(home, ".services", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties properties = new Properties();
            properties.putAll(services);
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, "the embedded services of ./media serve (pid " + ProcessHandle.current().pid() + "), for ./media worker");
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        log.info("embedded services for workers on this machine: {}", file);
        return new ServicesFile(file);
    }

    /**
     * The services in {@code home}'s file, only the known keys; empty when there is none.
     *
     * @throws IllegalStateException when the file is there and cannot be read, or is larger than any such file
     */
    static Map<String, String> read(Path home) {
        Path file = home.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalStateException(file + " is larger than " + MAX_BYTES + " bytes: it is not one ./media serve wrote");
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> services = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (KEYS.contains(key)) {
                services.put(key, properties.getProperty(key));
            }
        }
        return services;
    }

    @Override
    public void close() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", file, e.toString());
        }
    }
}
