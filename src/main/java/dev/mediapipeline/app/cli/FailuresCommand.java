package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code media failures [--class CLASS] [--tenant NAME] [--limit N] [--all]}: the failure ledger
 * (what {@code GET /failures} and {@code /failures/classes} serve) from the command line, on the
 * configured database (the embedded one by default), with no web server. First the count of each
 * class, then one line per entry, newest first: when, class, item (an upload's file name as staged,
 * an asset's id), job execution, message. Open entries only unless {@code --all}. It only reads.
 * Each line is bounded (names and messages made printable and cut short), and so is their number.
 */
@Component
public class FailuresCommand {

    /** Entries listed unless {@code --limit} says otherwise. */
    static final int DEFAULT_LIMIT = 100;
    /** The most {@code --limit} may ask for: the counts above the entries are always complete. */
    static final int MAX_LIMIT = 10_000;

    public static final String USAGE = """
            usage: media failures [--class CLASS] [--tenant NAME] [--limit N] [--all]
              the failure ledger: the count of each class, then its entries, newest first, one line each
              (when, class, item: an upload's file name or an asset's id, job execution, message)
              --class CLASS  one class: rejected:corrupt, failed:IOException, ...; a bare reason (infected) matches both kinds
              --tenant NAME  one tenant's entries (default: every tenant's)
              --limit N      list at most N entries, 1 to 10000 (default 100); the counts are of every entry
              --all          resolved and requeued entries too (default: open ones only)
            exit status: 0  listed (whether or not there are entries)
                         2  a usage error""";

    private final Tenants tenants;
    private final JdbcClient jdbc;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    public FailuresCommand(Tenants tenants, JdbcClient jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    /**
     * What the command reads: {@code failureClass} null for every class; a class without a colon is
     * a reason of either kind ({@code rejected:} or {@code failed:}).
     */
    record Options(String failureClass, String tenant, int limit, boolean all) {

        /** @throws IllegalArgumentException saying what is wrong with the arguments */
        static Options parse(List<String> args) {
            String failureClass = null;
            String tenant = null;
            int limit = DEFAULT_LIMIT;
            boolean all = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (name.equals("--all") && !arg.contains("=")) {
                    all = true;
                    continue;
                }
                if (!List.of("--class", "--tenant", "--limit").contains(name)) {
                    throw new IllegalArgumentException("unknown argument '" + Lines.name(arg) + "'");
                }
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                if (value.isBlank()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                switch (name) {
                    case "--class" -> failureClass = value.strip();
                    case "--tenant" -> tenant = value.strip();
                    default -> limit = limit(value);
                }
            }
            return new Options(failureClass, tenant, limit, all);
        }

        private static int limit(String value) {
            int limit;
            try {
                limit = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--limit: '" + Lines.name(value) + "' is not a number");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("--limit: " + limit + " is not between 1 and " + MAX_LIMIT);
            }
            return limit;
        }

        /** The two classes a {@code --class} matches: itself twice, or a bare reason as either kind. */
        String[] classes() {
            if (failureClass == null) {
                return new String[] {null, null};
            }
            return failureClass.contains(":") ? new String[] {failureClass, failureClass}
                    : new String[] {"rejected:" + failureClass, "failed:" + failureClass};
        }
    }

    /** The application's settings among the arguments ({@code --media.home=DIR}, {@code --spring.datasource.url=...}): for its context. */
    public static List<String> settings(List<String> args) {
        return args.stream().filter(FailuresCommand::setting).toList();
    }

    /** The command's own arguments: all but the application's settings. */
    public static List<String> options(List<String> args) {
        return args.stream().filter(a -> !setting(a)).toList();
    }

    private static boolean setting(String arg) {
        return (arg.startsWith("--media.") || arg.startsWith("--spring.") || arg.startsWith("--logging.")) && arg.contains("=");
    }

    /** A class's count of entries (of those the filter takes), and how many of them are open. */
    private record ClassCount(String failureClass, long n, long open) {
    }

    /** One entry as printed. */
    private record Entry(String when, String failureClass, String item, long execution, String state, String message) {
    }

    /** @return the exit status: 0 listed, 2 a usage error */
    public int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        UUID tenantId = null;
        if (options.tenant() != null) {
            if (!Tenants.validName(options.tenant())) {
                return usage("--tenant: '" + Lines.name(options.tenant())
                        + "' is not a tenant name (1 to 63 of a-z, 0-9, '.', '_', '-')");
            }
            Tenant tenant = tenants.findByName(options.tenant()).orElse(null);
            if (tenant == null) {
                return usage("no tenant '" + options.tenant() + "'");
            }
            tenantId = tenant.id();
        }
        String[] classes = options.classes();
        // the same filter for the counts and the entries: open ones unless --all, of the tenant and the class when given
        String filter = """
                where (cast(? as boolean) or (l.resolved_at is null and l.requeued_at is null))
                  and (cast(? as uuid) is null or l.tenant_id = ?)
                  and (cast(? as text) is null or l.failure_class = ? or l.failure_class = ?)""";
        Object[] params = {options.all(), tenantId, tenantId, classes[0], classes[0], classes[1]};

        List<ClassCount> counts = new ArrayList<>();
        jdbc.sql("""
                select l.failure_class, count(*) as n, count(*) filter (where l.resolved_at is null and l.requeued_at is null) as open
                from failure_ledger l
                %s
                group by l.failure_class order by n desc, l.failure_class""".formatted(filter)).params(params)
                .query((RowCallbackHandler) rs -> counts.add(new ClassCount(Lines.message(rs.getString("failure_class"), 60),
                        rs.getLong("n"), rs.getLong("open"))));
        long total = counts.stream().mapToLong(ClassCount::n).sum();

        out.printf("failure ledger: %s entries%s%s%n", options.all() ? "all" : "open",
                options.tenant() == null ? ", every tenant" : " of tenant " + options.tenant(),
                options.failureClass() == null ? "" : ", class " + Lines.message(options.failureClass(), 60));
        if (total == 0) {
            out.println("  none");
            return 0;
        }
        out.printf("  %d in %d %s:%n", total, counts.size(), counts.size() == 1 ? "class" : "classes");
        int classWidth = Lines.width(counts.stream().map(ClassCount::failureClass).toList(), 40);
        for (ClassCount c : counts) {
            out.printf("    %-" + classWidth + "s  %d%s%n", c.failureClass(), c.n(), options.all() ? "  (" + c.open() + " open)" : "");
        }

        List<Entry> entries = new ArrayList<>();
        jdbc.sql("""
                select l.created_at, l.failure_class, l.item_kind, l.item_id, l.job_execution_id, left(l.reason, 1000) as reason,
                       l.resolved_at, l.requeued_at, l.requeue_execution_id, l.item_name, u.metadata, a.original_filename
                from failure_ledger l
                left join upload u on l.item_kind = 'UPLOAD' and u.id = l.item_id
                left join asset a on l.item_kind = 'UPLOAD' and a.id = l.item_id
                %s
                order by l.id desc limit ?""".formatted(filter)).params(params).param(options.limit())
                .query((RowCallbackHandler) rs -> {
                    UUID item = rs.getObject("item_id", UUID.class);
                    String state = "";
                    if (rs.getObject("requeued_at") != null) {
                        long requeue = rs.getLong("requeue_execution_id");
                        state = rs.wasNull() ? "[requeued] " : "[requeued to execution " + requeue + "] ";
                    } else if (rs.getObject("resolved_at") != null) {
                        state = "[resolved] ";
                    }
                    // the name kept with the entry first: a refused upload's row is gone once the ingest cleaned it
                    String name = rs.getString("item_name") != null ? Lines.name(rs.getString("item_name"))
                            : item(rs.getString("item_kind"), item, rs.getString("metadata"), rs.getString("original_filename"));
                    entries.add(new Entry(when(rs.getObject("created_at", OffsetDateTime.class)),
                            Lines.message(rs.getString("failure_class"), 60), name, rs.getLong("job_execution_id"), state,
                            Lines.message(rs.getString("reason"))));
                });
        out.printf("  %s, newest first:%n", entries.size() < total ? "the newest " + entries.size() + " of " + total
                + " (--limit N for more, at most " + MAX_LIMIT + ")" : total == 1 ? "the entry" : "all " + total);
        int entryClassWidth = Lines.width(entries.stream().map(Entry::failureClass).toList(), 40);
        int itemWidth = Lines.width(entries.stream().map(Entry::item).toList(), 48);
        int executionWidth = Lines.width(entries.stream().map(e -> Long.toString(e.execution())).toList(), 19);
        for (Entry e : entries) {
            out.printf("    %s  %-" + entryClassWidth + "s  %-" + itemWidth + "s  execution %-" + executionWidth + "d  %s%s%n", e.when(),
                    e.failureClass(), e.item(), e.execution(), e.state(), e.message());
        }
        return 0;
    }

    /** When, in UTC to the second: {@code 2026-11-30T10:15:02Z}. */
    private static String when(OffsetDateTime at) {
        return at == null ? "-" : at.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * An upload by the name it was staged under (its row is kept while its bytes are: a week for a
     * refused one, not past the job for a quarantined one), else the name its published asset keeps,
     * else {@code upload <id>}; an asset by its id.
     */
    private static String item(String kind, UUID id, String metadata, String assetFilename) {
        if (!"UPLOAD".equals(kind)) {
            return "asset " + id;
        }
        String name = Lines.stagedName(metadata);
        if (name == null && assetFilename != null && !assetFilename.isBlank()) {
            name = assetFilename;
        }
        return name == null ? "upload " + id : Lines.name(name);
    }

    private int usage(String problem) {
        if (problem != null) {
            err.println("media failures: " + problem);
        }
        err.println(USAGE);
        return 2;
    }
}
