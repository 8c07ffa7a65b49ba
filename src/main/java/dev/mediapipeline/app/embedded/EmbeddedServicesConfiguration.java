package dev.mediapipeline.app.embedded;

import com.zaxxer.hikari.HikariDataSource;
import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.storage.EmbeddedS3Endpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded defaults: with no {@code spring.datasource.url} the application runs real PostgreSQL
 * binaries itself, and with no {@code media.s3.endpoint} it runs S3Proxy itself; both keep their
 * data under the media home, so a restart finds it again.
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedServicesConfiguration {

    @Bean(destroyMethod = "close")
    @WhenNotConfigured("spring.datasource.url")
    EmbeddedPostgresServer embeddedPostgres(MediaProperties media,
            @org.springframework.beans.factory.annotation.Value("${media.bench.track-statements:false}") boolean trackStatements) {
        return EmbeddedPostgresServer.start(media.home().resolve("postgres"), trackStatements);
    }

    @Bean(destroyMethod = "close")
    @WhenNotConfigured("spring.datasource.url")
    HikariDataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl());
        dataSource.setUsername(postgres.username());
        dataSource.setMaximumPoolSize(20);
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    @WhenNotConfigured("media.s3.endpoint")
    EmbeddedS3Server embeddedS3(MediaProperties media) {
        return EmbeddedS3Server.startFilesystem(media.home().resolve("s3"));
    }

    @Bean
    @WhenNotConfigured("media.s3.endpoint")
    EmbeddedS3Endpoint embeddedS3Endpoint(EmbeddedS3Server server) {
        return new EmbeddedS3Endpoint(server.endpoint(), EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY);
    }

    /**
     * {@code ./media serve}'s embedded services, written to {@code <media.home>/services.properties}
     * for workers on this machine ({@link WorkerServices}); nothing when it runs none.
     */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    ServicesFile servicesFile(MediaProperties media, org.springframework.beans.factory.ObjectProvider<EmbeddedPostgresServer> postgres,
            org.springframework.beans.factory.ObjectProvider<EmbeddedS3Server> s3,
            org.springframework.beans.factory.ObjectProvider<dev.mediapipeline.core.embedded.EmbeddedBroker> broker) {
        java.util.Map<String, String> services = new java.util.LinkedHashMap<>();
        postgres.ifAvailable(p -> {
            services.put("spring.datasource.url", p.jdbcUrl());
            services.put("spring.datasource.username", p.username());
        });
        s3.ifAvailable(server -> {
            services.put("media.s3.endpoint", server.endpoint().toString());
            services.put("media.s3.path-style", "true");
            services.put("media.s3.access-key", EmbeddedS3Server.ACCESS_KEY);
            services.put("media.s3.secret-key", EmbeddedS3Server.SECRET_KEY);
        });
        broker.ifAvailable(b -> services.put("media.broker.url", b.url()));
        return ServicesFile.write(media.home(), services);
    }

    /**
     * The embedded ActiveMQ Artemis of a manager in remote mode without {@code media.broker.url}: on
     * {@code 127.0.0.1:media.broker.port} (61616), persistent under {@code <media.home>/artemis} unless
     * {@code media.broker.persistent=false}.
     */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("'${media.workers.mode:local}'.equalsIgnoreCase('remote') "
            + "and '${media.broker.url:}' == '' and '${media.workers.role:}' != 'worker'")
    dev.mediapipeline.core.embedded.EmbeddedBroker embeddedBroker(MediaProperties media,
            @org.springframework.beans.factory.annotation.Value("${media.broker.port:61616}") int port,
            @org.springframework.beans.factory.annotation.Value("${media.broker.persistent:true}") boolean persistent) {
        return dev.mediapipeline.core.embedded.EmbeddedBroker.start(port, persistent ? media.home().resolve("artemis") : null);
    }
}
