package dev.mediapipeline.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import dev.mediapipeline.core.embedded.EmbeddedS3Server;
import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.storage.S3Clients;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Standard properties point the application at services it does not run: a PostgreSQL by URL and
 * an S3 endpoint with credentials. Here both are real servers the test starts on its own, standing
 * for a deployment's; the application must start neither of its embedded ones and use these.
 */
class ExternalServicesTest {

    @Test
    void aDatasourceUrlAndAnS3EndpointReplaceTheEmbeddedServices(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer externalPostgres = EmbeddedPostgresServer.start(dir.resolve("external-pg"));
                EmbeddedS3Server externalS3 = EmbeddedS3Server.startTransient();
                ConfigurableApplicationContext app = AppTestBase.instanceOn(dir.resolve("home"), externalPostgres.jdbcUrl(), externalPostgres.username(),
                        externalS3.endpoint(), "--media.s3.buckets.staging=ext-staging")) {

            assertThat(app.getBeanNamesForType(EmbeddedPostgresServer.class)).isEmpty();
            assertThat(app.getBeanNamesForType(EmbeddedS3Server.class)).isEmpty();
            assertThat(dir.resolve("home/postgres")).doesNotExist();

            StagingService staging = app.getBean(StagingService.class);
            Upload upload = staging.create(dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, 3, null);
            staging.append(upload.id(), 0, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, null);

            try (Connection c = DriverManager.getConnection(externalPostgres.jdbcUrl(), externalPostgres.username(), null);
                    ResultSet rs = c.createStatement().executeQuery("select upload_offset from upload where id = '" + upload.id() + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            try (S3Client client = S3Clients.create(externalS3.endpoint(), "us-east-1", true,
                    EmbeddedS3Server.ACCESS_KEY, EmbeddedS3Server.SECRET_KEY)) {
                assertThat(client.listObjectsV2(b -> b.bucket("ext-staging").prefix(Upload.chunkPrefix(upload.id()))).contents())
                        .hasSize(1);
            }
        }
    }
}
