package dev.mediapipeline.jobs.ingest;

import com.zaxxer.hikari.HikariDataSource;
import dev.mediapipeline.core.config.MediaCoreConfiguration;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import dev.mediapipeline.core.testing.TestDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The kernel and the ingest job over the shared test PostgreSQL and an in-memory S3Proxy: no web, no CLI. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({MediaCoreConfiguration.class, IngestJobConfiguration.class})
class IngestTestApplication {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(TestDatabase.jdbcUrl());
        dataSource.setUsername(TestDatabase.username());
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    EmbeddedS3Server embeddedS3() {
        return EmbeddedS3Server.startTransient();
    }

    @Bean
    EmbeddedS3Endpoint embeddedS3Endpoint(EmbeddedS3Server server) {
        return new EmbeddedS3Endpoint(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
    }
}
