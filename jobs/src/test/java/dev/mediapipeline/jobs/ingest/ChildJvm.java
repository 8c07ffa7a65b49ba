package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.testing.TestDatabase;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest job in a JVM of its own ({@link IngestChild}), over the test's database and S3
 * directory under {@code home}, its output in {@code home/child.log}: for the tests that kill it,
 * stop it or starve it of memory.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param jvmOptions  options of the JVM, such as {@code -Xmx256m}
     * @param properties  Spring properties of the child, as {@code --name=value}
     */
    static Process start(Path home, List<String> jvmOptions, String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                IngestChild.class.getName(),
                "--media.home=" + home, "--media.clamd.port=" + TestServices.clamdPort(), "--test.jdbc-url=" + TestDatabase.jdbcUrl(),
                "--test.s3-dir=" + home.resolve("s3"), "--spring.batch.job.enabled=false", "--spring.batch.jdbc.initialize-schema=never"));
        command.addAll(List.of(properties));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile()).start();
    }

    static String log(Path home) throws IOException {
        return Files.readString(home.resolve("child.log"));
    }
}
