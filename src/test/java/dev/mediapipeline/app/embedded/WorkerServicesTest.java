package dev.mediapipeline.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** {@code ./media serve}'s services file, and how a worker on the same machine and home takes what it does not have configured. */
@Tag("fast")
class WorkerServicesTest {

    static final Map<String, String> SERVED = Map.of("spring.datasource.url", "jdbc:postgresql://localhost:41234/postgres?user=postgres",
            "spring.datasource.username", "postgres", "media.s3.endpoint", "http://127.0.0.1:41235", "media.s3.path-style", "true",
            "media.s3.access-key", "media-pipeline", "media.s3.secret-key", "media-pipeline-local-secret", "media.broker.url",
            "tcp://127.0.0.1:61616");

    @Test
    void theServerWritesItsEmbeddedServicesForItsOwnerAloneAndRemovesThemWhenItStops(@TempDir Path home) throws Exception {
        ServicesFile file = ServicesFile.write(home, SERVED);
        Path written = home.resolve("services.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-------");
        assertThat(ServicesFile.read(home)).isEqualTo(SERVED);
        file.close();
        assertThat(written).doesNotExist();

        // a server that embeds nothing writes none
        ServicesFile.write(home, Map.of()).close();
        assertThat(written).doesNotExist();
        assertThat(ServicesFile.read(home)).isEmpty();
    }

    @Test
    void aWorkerTakesEachServiceItHasNotConfiguredAndNothingElse(@TempDir Path home) throws Exception {
        ServicesFile.write(home, SERVED);
        // a key the server never writes (a password, an admin key) is not taken from the file
        Files.writeString(home.resolve("services.properties"), "spring.datasource.password=x\nmedia.security.admin-key=" + "k".repeat(40) + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        StandardEnvironment worker = environment(home, Map.of("media.workers.role", "worker"));
        assertThat(SERVED).allSatisfy((key, value) -> assertThat(worker.getProperty(key)).as(key).isEqualTo(value));
        assertThat(worker.getProperty("spring.datasource.password")).isNull();
        assertThat(worker.getProperty("media.security.admin-key")).isNull();

        // a database by URL: none of the file's database keys; S3 and the broker still from the file
        StandardEnvironment external = environment(home, Map.of("media.workers.role", "worker", "spring.datasource.url",
                "jdbc:postgresql://db.example:5432/media"));
        assertThat(external.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example:5432/media");
        assertThat(external.getProperty("spring.datasource.username")).isNull();
        assertThat(external.getProperty("media.broker.url")).isEqualTo("tcp://127.0.0.1:61616");

        // the server itself, or any command that is no worker, never reads it
        assertThat(environment(home, Map.of()).getProperty("spring.datasource.url")).isNull();
    }

    @Test
    void aFileNoServerWroteIsRefusedBeforeItIsRead(@TempDir Path home) throws Exception {
        Path file = home.resolve("services.properties");
        Files.write(file, new byte[64 * 1024]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> environment(home, Map.of("media.workers.role", "worker"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("larger than");

        // readable by others, or a link: not a file the server wrote
        ServicesFile.write(home, SERVED);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> environment(home, Map.of("media.workers.role", "worker"))).hasMessageContaining("mode 0600");
        Path elsewhere = Files.move(file, home.resolve("elsewhere.properties"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(file, elsewhere);
        assertThatThrownBy(() -> environment(home, Map.of("media.workers.role", "worker"))).hasMessageContaining("mode 0600");
        Files.delete(file);

        // another host: ./media serve names only its own loopback services
        ServicesFile.write(home, Map.of("media.broker.url", "tcp://broker.example:61616"));
        assertThatThrownBy(() -> environment(home, Map.of("media.workers.role", "worker"))).hasMessageContaining("another host");
    }

    @Test
    void aFileLeftByAServerThatNoLongerRunsSendsNoWorkerAnywhere(@TempDir Path home) throws Exception {
        ServicesFile.write(home, SERVED);
        Path file = home.resolve("services.properties");
        // the same file, as a server killed with SIGKILL leaves it: its process is gone (a process that ran and ended)
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^server.pid=.*$", "server.pid=" + gone.pid()));
        assertThat(environment(home, Map.of("media.workers.role", "worker")).getProperty("spring.datasource.url")).isNull();
        // a file another server has written since (another pid) is left alone when this one stops
        ServicesFile mine = ServicesFile.write(home, SERVED);
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^server.pid=.*$", "server.pid=" + gone.pid()));
        mine.close();
        assertThat(file).exists();
    }

    private static StandardEnvironment environment(Path home, Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.put("media.home", home.toString());
        environment.getPropertySources().addFirst(new MapPropertySource("test", all));
        new WorkerServices().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
