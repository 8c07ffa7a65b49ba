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
 * {@link #MAX_LINE} bytes is skipped without being held. Rotate the log by renaming it to
 * {@code <path>.1} (then {@code SIGHUP} varnishncsa to reopen): its rest is read before the new file.
 * A line of an asset purged since is still its tenant's (by the asset's events).
 */
public class EdgeLog {

    /** varnishncsa's format: epoch seconds, method, path and query, status, body bytes, handling, content type; tab-separated. */
    public static final String FORMAT = "%{%s}t\\t%m\\t%U%q\\t%s\\t%b\\t%{Varnish:handling}x\\t%{Content-Type}o";
    static final int MAX_LINE = 8192;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeLog.class);

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

    /**
     * Reads up to {@code maxLines} new complete lines of {@code path}; nothing when it does not exist.
     * The place is locked first, then the file opened: a second reader waits, and then reads on from
     * where the first stopped. A log rotated by renaming it to {@code <path>.1} is read to its end
     * before the new one is begun; one cut shorter in place is read again from its start.
     */
    public Read read(Path path, int maxLines) {
        return transactions.execute(tx -> {
            String name = path.toAbsolutePath().normalize().toString();
            jdbc.update("insert into usage_edge_log (path, file_key, position) values (?, '', 0) on conflict (path) do nothing", name);
            Map<String, Object> at = jdbc.queryForMap("select file_key, position from usage_edge_log where path = ? for update", name);
            String storedKey = (String) at.get("file_key");
            long position = ((Number) at.get("position")).longValue();
            String currentKey = fileKey(path);
            if (currentKey == null) {
                return new Read(0, 0, false);
            }
            Path source = path;
            String sourceKey = currentKey;
            if (!storedKey.isEmpty() && !storedKey.equals(currentKey)) {
                Path rotated = Path.of(name + ".1");
                if (storedKey.equals(fileKey(rotated))) {
                    source = rotated; // the rest of the file read last time, renamed away
                    sourceKey = storedKey;
                } else {
                    LOG.warn("usage: the edge log {} is another file than the one read up to byte {}, and {} is not that file: "
                            + "what was written to it after the last read is not counted", name, position, rotated);
                    position = 0;
                }
            }
            Lines lines = lines(source, position, maxLines);
            if (lines == null) {
                lines = lines(source, 0, maxLines); // cut shorter in place: another file now
            }
            long end = lines.end();
            boolean more = lines.read() == maxLines;
            if (source != path && !more) {
                sourceKey = currentKey; // the rotated file is done: the next read begins the new one
                end = 0;
                more = true;
            }
            long counted = count(lines.parsed());
            long skipped = lines.read() - counted;
            jdbc.update("update usage_edge_log set file_key = ?, position = ?, lines = lines + ?, skipped = skipped + ?, updated_at = now() "
                    + "where path = ?", sourceKey, end, lines.read(), skipped, name);
            return new Read(lines.read(), counted, more);
        });
    }

    /** Complete lines read from a file: how many, the delivery lines among them, and the position after the last. */
    private record Lines(long read, List<Line> parsed, long end) {
    }

    /** The file's identity (device and inode), or null when there is none at the path. */
    private static String fileKey(Path path) {
        try {
            return String.valueOf(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the edge log " + path + " cannot be read", e);
        }
    }

    /** Up to {@code maxLines} complete lines from {@code position}; null when the file is shorter than that. */
    private static Lines lines(Path path, long position, int maxLines) {
        List<Line> parsed = new ArrayList<>();
        long read = 0;
        long end = position;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < position) {
                return null;
            }
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
                if (line != null) {
                    parsed.add(line);
                }
                current.reset();
                tooLong = false;
            }
        } catch (NoSuchFileException e) {
            return new Lines(0, List.of(), position);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the edge log " + path + " cannot be read", e);
        }
        return new Lines(read, parsed, end);
    }

    /** Adds the lines whose asset (or download) is known, by its tenant; returns how many. */
    private long count(List<Line> lines) {
        Set<UUID> assets = new HashSet<>();
        Set<UUID> downloads = new HashSet<>();
        for (Line line : lines) {
            (line.target().kind().equals("archive") ? downloads : assets).add(line.target().id());
        }
        Map<UUID, UUID> tenantOf = new HashMap<>();
        owners("select id, tenant_id from asset where id = any(?)", assets, tenantOf);
        // an asset purged since: its events keep its tenant
        owners("select distinct asset_id, tenant_id from asset_event where asset_id = any(?)", assets, tenantOf);
        owners("select id, tenant_id from download where id = any(?)", downloads, tenantOf);
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
        DeliveryCounts.add(jdbc, "edge", sums.entrySet().stream().map(e -> new DeliveryCounts.Row(e.getKey().day(), e.getKey().tenant(),
                e.getKey().asset(), e.getKey().kind(), e.getKey().format(), e.getKey().cache(), e.getValue()[0], e.getValue()[1])).toList());
        return counted;
    }

    private void owners(String query, Set<UUID> ids, Map<UUID, UUID> tenantOf) {
        Set<UUID> unknown = new HashSet<>(ids);
        unknown.removeAll(tenantOf.keySet());
        if (unknown.isEmpty()) {
            return;
        }
        jdbc.query(query, ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", unknown.toArray())),
                rs -> {
                    tenantOf.putIfAbsent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
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
            LocalDate day = UsageDay.of(Instant.ofEpochSecond(epoch));
            String format = target.kind().equals("original") ? "original" : DeliveryFormat.of(f[6]);
            return new Line(day, target, format, cache, bytes);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }
}
