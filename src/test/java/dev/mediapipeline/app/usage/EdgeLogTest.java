package dev.mediapipeline.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.core.usage.EdgeLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The edge's access log read into usage against the real PostgreSQL: each complete line once, however
 * often it is read; a half-written last line waits for its newline; a log renamed away is finished
 * before the new one is begun; one cut shorter in place is read from its start; a line of an asset
 * purged since still counts for its tenant.
 */
class EdgeLogTest extends AppTestBase {

    @Autowired
    EdgeLog edgeLog;

    @Test
    void everyCompleteLineIsCountedOnceThroughRotationAndTruncation(@TempDir Path dir) throws Exception {
        UUID tenant = newTenant("edge-log");
        UUID asset = UUID.randomUUID();
        // an asset purged since: no row, only its events
        jdbc.sql("insert into asset_event (asset_id, tenant_id, action, detail) values (?, ?, 'purge', '')").params(asset, tenant).update();
        Path log = dir.resolve("access.log");
        append(log, line(asset, 100, "miss") + line(asset, 200, "hit") + "1796010707\tBAN\t/\t400\t350\tsynth\ttext/html\n"
                + line(asset, 400, "hit").stripTrailing());
        assertThat(edgeLog.read(log, 2)).isEqualTo(new EdgeLog.Read(2, 2, true));
        assertThat(edgeLog.read(log, 100)).as("the half-written line waits").isEqualTo(new EdgeLog.Read(1, 0, false));
        assertThat(bytes(tenant)).isEqualTo(300);
        assertThat(edgeLog.read(log, 100)).as("nothing new").isEqualTo(new EdgeLog.Read(0, 0, false));

        // the line is finished, another follows; then the log is renamed away and a new one begun before the next read
        append(log, "\n" + line(asset, 1000, "pass"));
        Files.move(log, dir.resolve("access.log.1"));
        append(log, line(asset, 10_000, "miss"));
        assertThat(edgeLog.read(log, 100)).as("the rest of the renamed file").isEqualTo(new EdgeLog.Read(2, 2, true));
        assertThat(edgeLog.read(log, 100)).as("then the new file").isEqualTo(new EdgeLog.Read(1, 1, false));
        assertThat(bytes(tenant)).isEqualTo(300 + 400 + 1000 + 10_000);

        // cut shorter in place (copytruncate): read again from its start
        Files.writeString(log, line(asset, 7, "hit"), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        assertThat(edgeLog.read(log, 100)).isEqualTo(new EdgeLog.Read(1, 1, false));
        assertThat(bytes(tenant)).isEqualTo(300 + 400 + 1000 + 10_000 + 7);
        assertThat(jdbc.sql("select sum(requests) from usage_delivery where tenant_id = ? and cache = 'hit'").param(tenant)
                .query(Long.class).single()).isEqualTo(3);
        assertThat(edgeLog.read(dir.resolve("missing.log"), 100)).isEqualTo(new EdgeLog.Read(0, 0, false));
    }

    private static String line(UUID asset, long bytes, String handling) {
        return "1796010707\tGET\t/media/" + asset + "/jpeg/640\t200\t" + bytes + "\t" + handling + "\timage/jpeg\n";
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private long bytes(UUID tenant) {
        return jdbc.sql("select coalesce(sum(bytes), 0) from usage_delivery where tenant_id = ? and source = 'edge'").param(tenant)
                .query(Long.class).single();
    }
}
