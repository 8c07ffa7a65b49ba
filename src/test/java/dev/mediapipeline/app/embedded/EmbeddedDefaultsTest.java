package dev.mediapipeline.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3Client;

/** With nothing configured the application runs its own PostgreSQL and S3, migrated and with its buckets. */
class EmbeddedDefaultsTest extends AppTestBase {

    @Autowired
    S3Client s3Client;
    @Autowired
    EmbeddedPostgresServer postgres;

    @Test
    void postgresIsEmbeddedUnderTheMediaHomeAndMigratedByFlyway() {
        assertThat(postgres.dataDirectory()).isEqualTo(MEDIA_HOME.resolve("postgres"));
        assertThat(jdbc.sql("select version from flyway_schema_history where success order by installed_rank")
                .query(String.class).list()).startsWith("1", "2");
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_name in "
                + "('batch_job_instance', 'batch_job_execution', 'batch_step_execution', 'upload', 'upload_chunk')")
                .query(Long.class).single()).isEqualTo(5);
    }

    @Test
    void theThreeBucketsExistInTheEmbeddedS3() {
        assertThat(s3Client.listBuckets().buckets()).extracting(b -> b.name())
                .contains(s3.buckets().staging(), s3.buckets().published(), s3.buckets().quarantine());
        assertThat(MEDIA_HOME.resolve("s3").resolve(s3.buckets().staging())).isDirectory();
    }
}
