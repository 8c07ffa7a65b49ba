package dev.mediapipeline.core.usage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads what the CDN edge delivered from its access log into {@code usage_delivery} (source
 * {@code edge}): cache hits the origin never saw, and the misses and passes it did (which the origin
 * counted as the edge's fetches). The log is Varnish's {@code varnishncsa} with the format
 * {@link #FORMAT}, one line per client request: written by {@code scripts/varnish}.
 * <p>
 * Each {@link #read} takes at most a page of complete lines from where the last one stopped and adds
 * their counts together with the new position in one transaction (the row is locked: two readers
 * never count a line twice; a crash counts it once, on the next read). A line longer than
 * {@link #MAX_LINE} bytes is skipped without being held; a log rotated away (another file at the path)
 * or cut shorter is read again from its start.
 */
public class EdgeLog {

    /** varnishncsa's format: epoch seconds, method, path and query, status, body bytes, handling, content type; tab-separated. */
    public static final String FORMAT = "%{%s}t\\t%m\\t%U%q\\t%s\\t%b\\t%{Varnish:handling}x\\t%{Content-Type}o";
    static final int MAX_LINE = 8192;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public EdgeLog(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** What one read did: lines read, of which counted, and whether more complete lines may follow. */
    public record Read(long lines, long counted, boolean more) {
    }

    /** One delivery line, parsed. */
    record Line(LocalDate day, DeliveryFormat.Target target, String format, String cache, long bytes) {
    }

    /** Reads up to {@code maxLines} new complete lines of {@code path}; nothing when it does not exist. */
    public Read read(Path path, int maxLines) {
        return transactions.execute(tx -> {
            String name = path.toAbsolutePath().toString();
            String fileKey;
            long size;
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                fileKey = String.valueOf(attributes.fileKey());
                size = attributes.size();
            } catch (NoSuchFileException e) {
                return new Read(0, 0, false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the edge log " + path + " cannot be read", e);
            }
            jdbc.update("insert into usage_edge_log (path, file_key, position) values (?, ?, 0) on conflict (path) do nothing", name, fileKey);
            Map<String, Object> at = jdbc.queryForMap("select file_key, position from usage_edge_log where path = ? for update", name);
            long position = ((Number) at.get("position")).longValue();
            if (!fileKey.equals(at.get("file_key")) || size < position) {
                position = 0; // rotated, or cut: this is another file
            }
            List<Line> lines = new ArrayList<>();
            long read = 0;
            long skipped = 0;
            long end = position;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                channel.position(position);
                InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
                ByteArrayOutputStream current = new ByteArrayOutputStream(256);
                boolean tooLong = false;
                long consumed = position;
                int b;
                while (read < maxLines && (b = in.read()) >= 0) {
                    consumed++;
                    if (b != '\n') {
                        if (current.size() < MAX_LINE) {
                            current.write(b);
                        } else {
                            tooLong = true;
                        }
                        continue;
                    }
                    read++;
                    end = consumed;
                    Line line = tooLong ? null : parse(current.toString(StandardCharsets.UTF_8));
                    if (line == null) {
                        skipped++;
                    } else {
                        lines.add(line);
                    }
                    current.reset();
                    tooLong = false;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the edge log " + path + " cannot be read", e);
            }
            long counted = count(lines);
            skipped += lines.size() - counted;
            jdbc.update("update usage_edge_log set file_key = ?, position = ?, lines = lines + ?, skipped = skipped + ?, updated_at = now() "
                    + "where path = ?", fileKey, end, read, skipped, name);
            return new Read(read, counted, read == maxLines);
        });
    }

    /** Adds the lines whose asset (or download) is known, by its tenant; returns how many. */
    private long count(List<Line> lines) {
        Set<UUID> assets = new HashSet<>();
        Set<UUID> downloads = new HashSet<>();
        for (Line line : lines) {
            (line.target().kind().equals("archive") ? downloads : assets).add(line.target().id());
        }
        Map<UUID, UUID> tenantOf = new HashMap<>();
        owners("asset", assets, tenantOf);
        owners("download", downloads, tenantOf);
        record Key(LocalDate day, UUID tenant, UUID asset, String kind, String format, String cache) {
        }
        Map<Key, long[]> sums = new HashMap<>();
        long counted = 0;
        for (Line line : lines) {
            UUID tenant = tenantOf.get(line.target().id());
            if (tenant == null) {
                continue; // purged since, or never ours
            }
            boolean archive = line.target().kind().equals("archive");
            long[] sum = sums.computeIfAbsent(new Key(line.day(), tenant, archive ? DeliveryFormat.NO_ASSET : line.target().id(),
                    line.target().kind(), line.format(), line.cache()), k -> new long[2]);
            sum[0]++;
            sum[1] += line.bytes();
            counted++;
        }
        jdbc.batchUpdate("""
                insert into usage_delivery as u (day, tenant_id, asset_id, kind, format, source, cache, requests, bytes)
                values (?, ?, ?, ?, ?, 'edge', ?, ?, ?)
                on conflict (day, tenant_id, asset_id, kind, format, source, cache)
                do update set requests = u.requests + excluded.requests, bytes = u.bytes + excluded.bytes""", new ArrayList<>(sums.entrySet()),
                500, (ps, e) -> {
                    Key k = e.getKey();
                    ps.setObject(1, k.day());
                    ps.setObject(2, k.tenant());
                    ps.setObject(3, k.asset());
                    ps.setString(4, k.kind());
                    ps.setString(5, k.format());
                    ps.setString(6, k.cache());
                    ps.setLong(7, e.getValue()[0]);
                    ps.setLong(8, e.getValue()[1]);
                });
        return counted;
    }

    private void owners(String table, Set<UUID> ids, Map<UUID, UUID> tenantOf) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.query("select id, tenant_id from " + table + " where id = any(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
                rs -> {
                    tenantOf.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                });
    }

    /**
     * A delivery line, or null for anything else: a method other than GET and HEAD, an answer other
     * than 200, 206 and 304, a path that is not delivery, a synthetic answer, a malformed line.
     */
    static Line parse(String text) {
        String[] f = text.split("\t", -1);
        if (f.length != 7 || !(f[1].equals("GET") || f[1].equals("HEAD"))) {
            return null;
        }
        if (!(f[3].equals("200") || f[3].equals("206") || f[3].equals("304"))) {
            return null;
        }
        String cache = switch (f[5]) {
            case "hit" -> "hit";
            case "miss" -> "miss";
            case "pass", "pipe" -> "pass";
            default -> null;
        };
        DeliveryFormat.Target target = DeliveryFormat.target(f[2]);
        if (cache == null || target == null) {
            return null;
        }
        try {
            long epoch = Long.parseLong(f[0]);
            long bytes = f[4].equals("-") ? 0 : Long.parseLong(f[4]);
            if (bytes < 0 || epoch < 0) {
                return null;
            }
            LocalDate day = Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC).toLocalDate();
            String format = target.kind().equals("original") ? "original" : DeliveryFormat.of(f[6]);
            return new Line(day, target, format, cache, bytes);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }
}
