package dev.mediapipeline.jobs.ingest;

import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.S3Properties;
import dev.mediapipeline.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the ingest job's tests use: the staging path, the job and its repository, the database and
 * the store. Each test class keeps its own {@code @SpringBootTest} properties and media home (the
 * kill, SIGTERM and heap tests share theirs with a child JVM).
 */
abstract class IngestJobTestBase {

    @Autowired
    StagingService staging;
    @Autowired
    JobOperator jobOperator;
    @Autowired
    JobRepository jobRepository;
    @Autowired
    Job mediaIngest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectStore store;
    @Autowired
    S3Properties s3;

    /**
     * The services of a test whose job also runs in a child JVM ({@link ChildJvm}): its media home, the
     * test clamd, and an S3 directory under the home that both JVMs open.
     */
    static void childJvmServices(org.springframework.test.context.DynamicPropertyRegistry registry, Path home) {
        registry.add("media.home", home::toString);
        registry.add("media.clamd.port", TestServices::clamdPort);
        registry.add("test.s3-dir", () -> home.resolve("s3").toString());
    }

    /** The corpus' JPEGs in name order, {@code skip} of them left out, at most {@code limit}. */
    static List<Path> jpegs(int skip, int limit) throws IOException {
        try (Stream<Path> files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            return files.sorted().skip(skip).limit(limit).toList();
        }
    }
}
