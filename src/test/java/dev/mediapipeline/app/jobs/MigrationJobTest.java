package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.app.PausableObjectStore;
import dev.mediapipeline.core.testing.TestUploads;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The re-processing migration over REST: dry run, then a stop and restart in the middle. */
class MigrationJobTest extends AppTestBase {

    @Test
    void aDryRunReportsAndAMigrationStoppedHalfwayFinishesExactlyOnceAfterItsRestart() throws Exception {
        Instant before = Instant.now().minus(1, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS);
        List<UUID> assets = JobsApiTest.smallestPhotos(10).stream().map(f -> TestUploads.stage(staging, f).id()).toList();
        JsonNode ingest = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                "{\"parameters\": {\"run\": \"migration-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
        assertThat(ingest.get("status").asString()).isEqualTo("COMPLETED");
        for (UUID asset : assets) {
            assertThat(currentVersion(asset)).isEqualTo(1);
        }
        String selection = "\"createdAfter\": \"" + before + "\", \"widths\": \"480\"";

        // refused up front
        Reply bad = http.post("/jobs/assetMigration/executions", "{\"parameters\": {\"widths\": \"big\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("detail").asString()).contains("widths");

        // dry run: figures, nothing written
        long versionsBefore = count("select count(*) from asset_version");
        JsonNode dry = http.awaitEnd(http.post("/jobs/assetMigration/executions",
                "{\"parameters\": {" + selection + ", \"dryRun\": \"true\"}}").body().get("id").asLong());
        assertThat(dry.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(dry.get("exitCode").asString()).isEqualTo("DRY_RUN");
        JsonNode report = dry.get("report");
        assertThat(report.get("assets").asLong()).isEqualTo(assets.size());
        long originalBytes = jdbc.sql("""
                select sum(f.size) from asset_version v join file_ref f on f.sha256 = v.original_sha256
                where v.version = 1 and v.asset_id in (select unnest(?::uuid[]))""")
                .param(assets.stream().map(UUID::toString).toArray(String[]::new)).query(Long.class).single();
        assertThat(report.get("bytes").asLong()).isEqualTo(originalBytes);
        assertThat(report.get("estimatedSeconds").asDouble()).isPositive();
        assertThat(report.get("estimateBasis").asString()).startsWith("measured by job execution");
        assertThat(count("select count(*) from asset_version")).isEqualTo(versionsBefore);
        assertThat(count("select count(*) from migration_item where job_instance_id = ?", dry.get("instanceId").asLong())).isZero();

        // the migration, stopped while its first chunks are being written
        PausableObjectStore pausable = (PausableObjectStore) store;
        pausable.pauseWritesTo(s3.buckets().published());
        long first;
        try {
            Reply launched = http.post("/jobs/assetMigration/executions", "{\"parameters\": {" + selection + "}}");
            assertThat(launched.status()).isEqualTo(202);
            first = launched.body().get("id").asLong();
            pausable.awaitWriterHeld();
            assertThat(http.post("/jobs/executions/" + first + "/stop", null).status()).isEqualTo(202);
        } finally {
            pausable.resume();
        }
        JsonNode stopped = http.awaitEnd(first);
        assertThat(stopped.get("status").asString()).isEqualTo("STOPPED");
        long instance = stopped.get("instanceId").asLong();
        assertThat(count("select count(*) from migration_item where job_instance_id = ?", instance)).isEqualTo(assets.size());
        long migratedAtStop = count("select count(*) from migration_item where job_instance_id = ? and state = 'MIGRATED'", instance);
        assertThat(migratedAtStop).as("the chunks in flight finished").isPositive().isLessThan(assets.size());
        for (UUID asset : assets) {
            boolean migrated = count("select count(*) from migration_item where asset_id = ? and state = 'MIGRATED'", asset) == 1;
            assertThat(currentVersion(asset)).as("switched only with its version committed").isEqualTo(migrated ? 2 : 1);
            assertThat(count("select count(*) from asset_version where asset_id = ?", asset)).isEqualTo(migrated ? 2 : 1);
        }

        JsonNode done = http.awaitEnd(http.post("/jobs/executions/" + first + "/restart", null).body().get("id").asLong());
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        long readBySecond = StreamSupport.stream(done.get("steps").spliterator(), false)
                .filter(s -> !s.get("partition").isNull()).mapToLong(s -> s.get("read").asLong()).sum();
        assertThat(readBySecond).as("the restart did exactly the rest").isEqualTo(assets.size() - migratedAtStop);

        String newProfile = done.get("report").get("profileHash").asString();
        for (UUID asset : assets) {
            assertThat(currentVersion(asset)).isEqualTo(2);
            assertThat(count("select count(*) from asset_version where asset_id = ?", asset)).as("no duplicate version").isEqualTo(2);
            assertThat(jdbc.sql("select profile_hash from asset_version where asset_id = ? and version = 2").param(asset)
                    .query(String.class).single()).isEqualTo(newProfile);
            assertThat(jdbc.sql("select max(width) from rendition where asset_id = ? and version = 2").param(asset)
                    .query(Integer.class).single()).as("the new profile's widths").isLessThanOrEqualTo(480);
            assertThat(count("select count(*) from rendition where asset_id = ? and version = 1", asset))
                    .as("the old version stays whole").isPositive();
        }
        // every stored reference is counted exactly once, whatever ran twice
        assertThat(count("""
                select count(*) from file_ref f where f.ref_count <>
                  (select count(*) from rendition r where r.sha256 = f.sha256)
                + (select count(*) from asset_version v where v.original_sha256 = f.sha256)""")).isZero();
        for (String key : jdbc.sql("""
                select f.object_key from rendition r join file_ref f on f.sha256 = r.sha256
                where r.version = 2 and r.asset_id in (select unnest(?::uuid[]))""")
                .param(assets.stream().map(UUID::toString).toArray(String[]::new)).query(String.class).list()) {
            assertThat(store.head(s3.buckets().published(), key)).as(key).isPresent();
        }
    }

    private int currentVersion(UUID asset) {
        return jdbc.sql("select current_version from asset where id = ?").param(asset).query(Integer.class).single();
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

}
