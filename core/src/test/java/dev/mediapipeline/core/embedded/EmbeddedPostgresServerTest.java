package dev.mediapipeline.core.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL binaries: data kept across restarts, and a server orphaned by a killed JVM taken over. */
class EmbeddedPostgresServerTest {

    @Test
    void dataSurvivesARestart(@TempDir Path home) throws SQLException {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(home.resolve("pg"))) {
            execute(first, "create table kept (v text); insert into kept values ('still here')");
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(home.resolve("pg"))) {
            assertThat(queryOne(second, "select v from kept")).isEqualTo("still here");
        }
    }

    @Test
    void aServerOrphanedByAKilledJvmIsTakenOver(@TempDir Path home) throws Exception {
        Path data = home.resolve("pg");
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(OrphanMaker.READY)) {
                // the child's log
            }
            assertThat(line).as("the child JVM started PostgreSQL").isEqualTo(OrphanMaker.READY);
            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs, postgres keeps running
            owner.waitFor(30, TimeUnit.SECONDS);
        }
        long orphanPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
        assertThat(ProcessHandle.of(orphanPid)).as("postgres outlived its JVM").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start(data)) {
            assertThat(queryOne(next, "select v from kept")).isEqualTo("from before the crash");
        }
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** Runs in a child JVM: starts PostgreSQL over a data directory, writes a row, then waits to be killed. */
    public static final class OrphanMaker {
        static final String READY = "ORPHAN-READY";

        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
            execute(server, "create table kept (v text); insert into kept values ('from before the crash')");
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryOne(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), null);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
