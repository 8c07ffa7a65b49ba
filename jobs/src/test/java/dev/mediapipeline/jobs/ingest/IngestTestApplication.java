package dev.mediapipeline.jobs.ingest;

import com.zaxxer.hikari.HikariDataSource;
import dev.mediapipeline.core.config.MediaCoreConfiguration;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import dev.mediapipeline.core.testing.TestDatabase;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The kernel and the ingest job over the shared test PostgreSQL and an in-memory S3Proxy: no web,
 * no CLI. A test that runs the job in a second JVM points both at the same database
 * ({@code test.jdbc-url}) and at one S3 directory ({@code test.s3-dir}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({MediaCoreConfiguration.class, IngestJobConfiguration.class})
class IngestTestApplication {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(@Value("${test.jdbc-url:}") String jdbcUrl) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl.isBlank() ? TestDatabase.jdbcUrl() : jdbcUrl);
        dataSource.setUsername(TestDatabase.username());
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    EmbeddedS3Server embeddedS3(@Value("${test.s3-dir:}") String directory) {
        return directory.isBlank() ? EmbeddedS3Server.startTransient() : EmbeddedS3Server.startFilesystem(Path.of(directory));
    }

    @Bean
    EmbeddedS3Endpoint embeddedS3Endpoint(EmbeddedS3Server server) {
        return new EmbeddedS3Endpoint(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
    }
}
