package dev.mediapipeline.app.embedded;

import java.io.IOException;
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
 * no secret beyond the fixed loopback credentials of S3Proxy. The file is its owner's only (0600), and
 * names the server's process (its id and start time): a reader takes it only from a regular file (no
 * link) of its own user with mode 0600, naming loopback addresses only, written by a server that still
 * runs. A file left by a server killed, or put there by someone else, sends no worker anywhere.
 */
public final class ServicesFile implements AutoCloseable {

    public static final String NAME = "services.properties";
    /** The properties it may hold: a worker takes no other from it. */
    static final Set<String> KEYS = Set.of("spring.datasource.url", "spring.datasource.username", "media.s3.endpoint", "media.s3.path-style",
            "media.s3.access-key", "media.s3.secret-key", "media.broker.url");
    private static final long MAX_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ServicesFile.class);

    private static final String PID = "server.pid";
    private static final String STARTED = "server.started";

    private final Path file;

    private ServicesFile(Path file) {
        this.file = file;
    }

    /** This process's start, as written and compared: empty where the platform does not say. */
    private static String started(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toString).orElse("");
    }

    /** Writes the file (replacing one left by a server that died) and returns it; {@link #close} removes it. */
    static ServicesFile write(Path home, Map<String, String> services) {
        Path file = home.resolve(NAME);
        if (services.isEmpty()) {
            return new ServicesFile(null); // none embedded: nothing to name (a file another server left names only live servers)
        }
        try {
            Files.createDirectories(home);
            Path temp = Files.createTempFile(home, ".services", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties properties = new Properties();
            properties.putAll(services);
            properties.setProperty(PID, Long.toString(ProcessHandle.current().pid()));
            properties.setProperty(STARTED, started(ProcessHandle.current()));
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
        java.nio.file.attribute.PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Map.of();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage(), e);
        }
        try {
            // nobody else may put a file of theirs in its place between this check and the read
            var homeModes = Files.getPosixFilePermissions(home);
            if (homeModes.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || homeModes.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException(home + " is writable by others: its " + NAME + " is not used");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not read the permissions of " + home + ": " + e.getMessage(), e);
        }
        String self = System.getProperty("user.name");
        if (!attributes.isRegularFile() || !attributes.owner().getName().equals(self)
                || !attributes.permissions().equals(PosixFilePermissions.fromString("rw-------"))) {
            throw new IllegalStateException(file + " is not a file of " + self + "'s alone (a regular file, mode 0600) as ./media serve "
                    + "writes it: remove it, or configure the worker's services by URL");
        }
        Properties properties;
        try {
            properties = load(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (!alive(properties)) {
            log.info("{} names a server that no longer runs (pid {}): not used", file, properties.getProperty(PID));
            return Map.of();
        }
        Map<String, String> services = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (KEYS.contains(key)) {
                String value = properties.getProperty(key);
                if ((key.endsWith(".url") || key.endsWith(".endpoint")) && !loopback(value)) {
                    throw new IllegalStateException(file + " names " + key + " on another host (" + value + "): ./media serve writes "
                            + "only its own loopback services there");
                }
                services.put(key, value);
            }
        }
        return services;
    }

    /** The file's properties, read through no link and at most {@value #MAX_BYTES} bytes of it, whatever it has become. */
    private static Properties load(Path file) throws IOException {
        try (var in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException(file + " is larger than " + MAX_BYTES + " bytes: it is not one ./media serve wrote");
            }
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)));
            return properties;
        }
    }

    /** The server that wrote it runs: the same process id, started at the same instant. */
    private static boolean alive(Properties properties) {
        try {
            long pid = Long.parseLong(properties.getProperty(PID, ""));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> started(p).equals(properties.getProperty(STARTED, "?"))).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A URL whose host is this machine's loopback (jdbc:postgresql://localhost:5432/..., http://127.0.0.1:..., tcp://127.0.0.1:...). */
    static boolean loopback(String url) {
        String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
        try {
            String host = java.net.URI.create(rest).getHost();
            return host != null && (host.equals("localhost") || java.net.InetAddress.getByName(host).isLoopbackAddress());
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (file == null) {
            return;
        }
        try {
            // only this server's own: another may have started on the same home since
            Properties written;
            try {
                written = load(file);
            } catch (java.nio.file.NoSuchFileException e) {
                return;
            } catch (IllegalStateException | IllegalArgumentException e) {
                return; // not the file this server wrote: not this server's to remove
            }
            if (!Long.toString(ProcessHandle.current().pid()).equals(written.getProperty(PID))) {
                return;
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", file, e.toString());
        }
    }
}
