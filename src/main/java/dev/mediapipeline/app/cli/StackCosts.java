package dev.mediapipeline.app.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the whole stack spent, read before and after a timed run, for the capacity model
 * ({@code docs/capacity.md}): CPU seconds of each process (workers, the manager with its S3Proxy and
 * broker, PostgreSQL with its backends, clamd) from {@code /proc}; S3 requests by operation from the
 * S3 clients' {@code media_s3_requests_total} (the manager's registry and each worker's
 * {@code /metrics}); and PostgreSQL's statements (pg_stat_statements), transactions, WAL bytes and
 * database size.
 */
final class StackCosts {

    /** One reading. */
    record Reading(double[] workerCpu, double managerCpu, double postgresCpu, double clamdCpu, Map<String, Double> s3Requests,
            long statements, long transactions, long walBytes, long databaseBytes, Map<String, Long> callsByStatement, double workerGcSeconds,
            long workerGcPauses, Map<String, Long> tableBytes) {
    }

    private static final double TICKS = 100.0; // USER_HZ, 100 on every Linux this runs on
    private static final Pattern S3 = Pattern.compile("(?m)^media_s3_requests_total\\{([^}]*)} (\\S+)$");
    private static final Pattern GC = Pattern.compile("(?m)^jvm_gc_pause_seconds_(sum|count)\\{[^}]*} (\\S+)$");
    private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]*)\"");

    private final JdbcClient jdbc;
    private final Optional<Long> postgresPid;
    private final Optional<Long> clamdPid;
    private final List<Process> workers;
    private final List<String> workerMetrics;
    private final String adminKey;
    private final io.micrometer.core.instrument.MeterRegistry registry;
    private final boolean statements;

    StackCosts(JdbcClient jdbc, Optional<Long> postgresPid, Optional<Long> clamdPid, List<Process> workers, List<String> workerMetrics,
            String adminKey, io.micrometer.core.instrument.MeterRegistry registry) {
        this.jdbc = jdbc;
        this.postgresPid = postgresPid;
        this.clamdPid = clamdPid;
        this.workers = workers;
        this.workerMetrics = workerMetrics;
        this.adminKey = adminKey;
        this.registry = registry;
        boolean tracked;
        try {
            jdbc.sql("create extension if not exists pg_stat_statements").update();
            jdbc.sql("select count(*) from pg_stat_statements").query(Long.class).single();
            tracked = true;
        } catch (RuntimeException e) {
            tracked = false; // not preloaded: statements are not counted
        }
        this.statements = tracked;
    }

    Reading read() throws IOException, InterruptedException {
        double[] workerCpu = new double[workers.size()];
        for (int i = 0; i < workerCpu.length; i++) {
            workerCpu[i] = cpu(workers.get(i).pid(), true); // with the ffmpeg and ffprobe it ran
        }
        double postgres = postgresPid.map(pid -> {
            double total = cpu(pid, true);
            try (Stream<ProcessHandle> backends = ProcessHandle.of(pid).map(ProcessHandle::descendants).orElse(Stream.empty())) {
                total += backends.mapToDouble(p -> cpu(p.pid(), false)).sum();
            }
            return total;
        }).orElse(Double.NaN);
        Map<String, Double> s3 = new TreeMap<>();
        double gcSeconds = 0;
        long gcPauses = 0;
        registry.find("media.s3.requests").counters().forEach(c -> s3.merge(c.getId().getTag("operation"), c.count(), Double::sum));
        for (String url : workerMetrics) {
            HttpResponse<String> scrape;
            try (HttpClient client = HttpClient.newHttpClient()) {
                scrape = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + adminKey).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            if (scrape.statusCode() != 200) {
                throw new IOException("worker metrics at " + url + ": HTTP " + scrape.statusCode());
            }
            Matcher gc = GC.matcher(scrape.body());
            while (gc.find()) {
                if (gc.group(1).equals("sum")) {
                    gcSeconds += Double.parseDouble(gc.group(2));
                } else {
                    gcPauses += (long) Double.parseDouble(gc.group(2));
                }
            }
            Matcher m = S3.matcher(scrape.body());
            while (m.find()) {
                Matcher op = OPERATION.matcher(m.group(1));
                s3.merge(op.find() ? op.group(1) : "?", Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        double managerCpu = cpu(ProcessHandle.current().pid(), false);
        double clamdCpu = clamdPid.map(pid -> cpu(pid, false)).orElse(Double.NaN);
        // the CPU read first, as the run ended; PostgreSQL's backends report their statistics at most once a second, when idle
        Thread.sleep(1500);
        long statementCount = statements ? jdbc.sql("select coalesce(sum(calls), 0)::bigint from pg_stat_statements").query(Long.class).single() : -1;
        Map<String, Long> byStatement = new java.util.HashMap<>();
        if (statements) {
            jdbc.sql("select left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q, sum(calls)::bigint as calls from pg_stat_statements group by 1")
                    .query((rs, n) -> byStatement.put(rs.getString(1), rs.getLong(2))).list();
        }
        Map<String, Long> tables = new java.util.HashMap<>();
        jdbc.sql("select relname, pg_total_relation_size(relid) from pg_stat_user_tables")
                .query((rs, n) -> tables.put(rs.getString(1), rs.getLong(2))).list();
        Map<String, Object> db = jdbc.sql("""
                select (xact_commit + xact_rollback) as transactions, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint as wal,
                       pg_database_size(current_database()) as size
                from pg_stat_database where datname = current_database()""").query().singleRow();
        return new Reading(workerCpu, managerCpu, postgres, clamdCpu,
                s3, statementCount, ((Number) db.get("transactions")).longValue(), ((Number) db.get("wal")).longValue(),
                ((Number) db.get("size")).longValue(), byStatement, gcSeconds, gcPauses, tables);
    }

    /** Prints what was spent between two readings, per item ({@code unit}: "image", "minute of video"). */
    static void print(Reading before, Reading after, double items, String unit, double seconds, int cores) {
        double workers = 0;
        for (int i = 0; i < after.workerCpu().length; i++) {
            workers += after.workerCpu()[i] - before.workerCpu()[i];
        }
        double manager = after.managerCpu() - before.managerCpu();
        double postgres = after.postgresCpu() - before.postgresCpu();
        double clamd = after.clamdCpu() - before.clamdCpu();
        double total = workers + manager + (Double.isNaN(postgres) ? 0 : postgres) + (Double.isNaN(clamd) ? 0 : clamd);
        System.out.printf(java.util.Locale.ROOT, "  per %s (%.1f %ss; CPU seconds over the run's %.2f s on %d core(s), %.0f%% busy):%n", unit,
                items, unit, seconds, cores, 100 * total / (seconds * cores));
        System.out.printf(java.util.Locale.ROOT, "    CPU s   workers %.3f, manager (S3Proxy, broker, job steps) %.3f, PostgreSQL %.3f, clamd %.3f; "
                + "all %.3f%n", workers / items, manager / items, postgres / items, clamd / items, total / items);
        System.out.printf(java.util.Locale.ROOT, "    GC      the workers' collections: %d pauses, %.3f s in all (%.1f%% of their CPU)%n",
                after.workerGcPauses() - before.workerGcPauses(), after.workerGcSeconds() - before.workerGcSeconds(),
                workers > 0 ? 100 * (after.workerGcSeconds() - before.workerGcSeconds()) / workers : 0.0);
        StringBuilder s3 = new StringBuilder();
        double requests = 0;
        for (var e : after.s3Requests().entrySet()) {
            double n = e.getValue() - before.s3Requests().getOrDefault(e.getKey(), 0.0);
            if (n > 0) {
                requests += n;
                s3.append(String.format(java.util.Locale.ROOT, ", %s %.2f", e.getKey(), n / items));
            }
        }
        System.out.printf(java.util.Locale.ROOT, "    S3      %.2f requests%s%n", requests / items, s3);
        System.out.printf(java.util.Locale.ROOT, "    Postgres %s statements, %.1f transactions, %.1f KB of WAL, %.1f KB of database growth%n",
                after.statements() < 0 ? "(pg_stat_statements not loaded: no count of)"
                        : String.format(java.util.Locale.ROOT, "%.1f", (after.statements() - before.statements()) / items),
                (after.transactions() - before.transactions()) / items, (after.walBytes() - before.walBytes()) / 1024.0 / items,
                (after.databaseBytes() - before.databaseBytes()) / 1024.0 / items);
        StringBuilder grew = new StringBuilder();
        after.tableBytes().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.tableBytes().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(e -> grew.append(String.format(java.util.Locale.ROOT, "%s%s %.1f KB", grew.isEmpty() ? "" : ", ", e.getKey(),
                        e.getValue() / 1024.0 / items)));
        System.out.println("    tables that grew most (with their indexes; pages, so in steps of 8 KB): " + grew);
        after.callsByStatement().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.callsByStatement().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.printf(java.util.Locale.ROOT, "      %7.2f  %s%n", e.getValue() / items, e.getKey()));
    }

    /** A process's CPU seconds from /proc/PID/stat (its threads; with {@code reaped}, its waited-for children's too). */
    static double cpu(long pid, boolean reaped) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid ... utime(11) stime(12) cutime(13) cstime(14)
            double ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + (reaped ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
            return ticks / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }
}
