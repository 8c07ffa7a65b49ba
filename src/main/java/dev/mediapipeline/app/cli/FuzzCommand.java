package dev.mediapipeline.app.cli;

import dev.mediapipeline.app.fuzz.Mutations;
import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.tenant.Tenants;
import dev.mediapipeline.jobs.control.ItemClock;
import dev.mediapipeline.jobs.control.JobControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * {@code media fuzz}: every image and video of the corpus mutated with a fixed seed
 * ({@link Mutations}), staged through the upload path and ingested by the real job in this JVM
 * (which {@code ./media fuzz} starts with a 256 MB heap). It prints the items, how many were
 * published, the rejections by reason, the items set aside as {@code failed:<class>}, the crashes and
 * the hangs, and exits non-zero when there was a crash or a hang.
 * <ul>
 * <li>A crash: the job did not end COMPLETED, an item was left unfinished, or an item was set aside
 * for a JVM error (OutOfMemoryError, StackOverflowError): contained, but a sign of an allocation
 * no budget bounded.</li>
 * <li>A hang: an item whose processing took longer than {@code media.fuzz.item-bound}. One that
 * runs past twice the bound stops the run (the job is asked to stop) and is named.</li>
 * </ul>
 */
@Component
public class FuzzCommand {

    /** The corpus folders whose files are mutated: the real photos and videos (the hostile files have tests of their own). */
    static final List<String> FOLDERS = List.of("jpeg", "png", "png-alpha", "gif", "video");
    /** The largest corpus file mutated (the shared corpus' largest is 16 MB). */
    static final long MAX_ORIGINAL = 32L << 20;

    private final IngestCommand staging;
    private final IngestRun ingest;
    private final JobControl jobs;
    private final ItemClock clock;
    private final Tenants tenants;
    private final JdbcClient jdbc;
    private final Path work;
    private final String corpus;
    private final int perFile;
    private final long seed;
    private final int files;
    private final Duration itemBound;
    private final PrintStream out = System.out;

    FuzzCommand(IngestCommand staging, IngestRun ingest, JobControl jobs, ItemClock clock, Tenants tenants, JdbcClient jdbc,
            MediaProperties media, @Value("${media.fuzz.corpus:${MEDIA_CORPUS:${user.home}/.cache/media-pipeline/corpus}}") String corpus,
            @Value("${media.fuzz.per-file:40}") int perFile, @Value("${media.fuzz.seed:1}") long seed,
            @Value("${media.fuzz.files:0}") int files, @Value("${media.fuzz.item-bound:120s}") Duration itemBound) {
        this.staging = staging;
        this.ingest = ingest;
        this.jobs = jobs;
        this.clock = clock;
        this.tenants = tenants;
        this.jdbc = jdbc;
        this.work = media.home().resolve("fuzz-input");
        this.corpus = corpus;
        this.perFile = perFile;
        this.seed = seed;
        this.files = files;
        this.itemBound = itemBound;
    }

    /** @return 0 when there was no crash and no hang, 1 otherwise, 2 when there is no corpus */
    public int run() throws IOException, InterruptedException {
        List<Path> originals = originals(Path.of(corpus));
        if (originals.isEmpty()) {
            System.err.println("media fuzz: no corpus under " + corpus + " (fetch it with ../shared/corpus/fetch-corpus.sh DIR, "
                    + "then --corpus DIR or MEDIA_CORPUS)");
            return 2;
        }
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        Map<Mutations.Kind, Integer> kinds = new EnumMap<>(Mutations.Kind.class);
        int mutants = 0;
        for (Path original : originals) {
            if (Files.size(original) > MAX_ORIGINAL) {
                // read whole, and copied once per mutant: under the run's 256 MB heap that bounds what a file may be
                out.printf("  skipped %s: %d bytes, over the %d the fuzz run mutates%n", original, Files.size(original), MAX_ORIGINAL);
                continue;
            }
            Path dir = Files.createDirectories(work.resolve(original.getParent().getFileName().toString()));
            int[] written = {0};
            Mutations.each(original.getFileName().toString(), Files.readAllBytes(original), perFile, seed, mutant -> {
                try {
                    Files.write(dir.resolve(mutant.name()), mutant.bytes());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                kinds.merge(mutant.kind(), 1, Integer::sum);
                written[0]++;
            });
            mutants += written[0];
        }
        out.printf("fuzz: %d mutants of %d corpus files (seed %d, %d each): %s%n", mutants, originals.size(), seed, perFile, kinds);

        Instant staged = Instant.now();
        List<Path> inputs;
        try (Stream<Path> walk = Files.walk(work)) {
            inputs = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int stageFailures = 0;
        for (Path input : inputs) {
            try {
                staging.stage(work, input);
            } catch (RuntimeException | IOException e) {
                stageFailures++;
                out.printf("  not staged: %s: %s%n", work.relativize(input), e.getMessage());
            }
        }
        out.printf("staged %d in %.1f s%n", inputs.size() - stageFailures, Duration.between(staged, Instant.now()).toMillis() / 1000.0);

        Instant started = Instant.now();
        UUID tenant = tenants.findOrCreate(staging.tenantName()).id();
        JobExecution execution = ingest.launch(started, tenant);
        List<ItemClock.Timed> stuck = List.of();
        long lastPrint = 0;
        while (execution.isRunning()) {
            Thread.sleep(1000);
            execution = jobs.execution(execution.getId());
            stuck = clock.slowest().stream().filter(t -> t.running() && t.took().compareTo(itemBound.multipliedBy(2)) > 0).toList();
            if (!stuck.isEmpty() && execution.isRunning()) {
                out.printf("%nan item has run for more than twice the bound (%d s): stopping the job%n", itemBound.toSeconds());
                jobs.stop(execution.getId());
                execution = jobs.awaitEnd(execution.getId(), Duration.ofSeconds(1));
                break;
            }
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                lastPrint = System.nanoTime();
                out.printf("  ingest: %d of %d items done after %d s%n", done(execution), inputs.size(),
                        Duration.between(started, Instant.now()).toSeconds());
            }
        }
        return report(execution, Duration.between(started, Instant.now()), stuck);
    }

    private long done(JobExecution execution) {
        return jdbc.sql("select count(*) from ingest_item where job_instance_id = ? and state <> 'PENDING'")
                .param(execution.getJobInstance().getInstanceId()).query(Long.class).single();
    }

    private int report(JobExecution execution, Duration elapsed, List<ItemClock.Timed> stuck) {
        long instance = execution.getJobInstance().getInstanceId();
        Map<String, Object> items = jdbc.sql("""
                select count(*) as total, count(*) filter (where state = 'PUBLISHED') as published,
                       count(*) filter (where state = 'REJECTED') as rejected, count(*) filter (where state = 'PENDING') as pending
                from ingest_item where job_instance_id = ?""").param(instance).query().singleRow();
        List<Map<String, Object>> reasons = jdbc.sql("""
                select r.reason, count(*) as n from ingest_rejection r join ingest_item i on i.upload_id = r.upload_id
                where i.job_instance_id = ? and r.job_execution_id = ? group by r.reason order by n desc, r.reason""")
                .param(instance).param(execution.getId()).query().listOfRows();
        long pending = number(items.get("pending"));
        List<String> jvmErrors = List.of("failed:OutOfMemoryError", "failed:StackOverflowError", "failed:InternalError");
        long errorItems = 0;
        long failedItems = 0;
        List<String> failedLines = new ArrayList<>();
        List<String> rejectedLines = new ArrayList<>();
        for (Map<String, Object> row : reasons) {
            String reason = (String) row.get("reason");
            long n = number(row.get("n"));
            if (reason.startsWith("failed:")) {
                failedItems += n;
                failedLines.add(String.format("    %-34s %d", reason, n));
                if (jvmErrors.contains(reason)) {
                    errorItems += n;
                }
            } else {
                rejectedLines.add(String.format("    %-34s %d", reason, n));
            }
        }
        long crashes = (execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1) + pending + errorItems;
        List<ItemClock.Timed> hangs = new ArrayList<>(clock.over(itemBound));
        for (ItemClock.Timed t : stuck) {
            if (!hangs.contains(t)) {
                hangs.add(t);
            }
        }
        out.printf("fuzz result: job execution %d %s in %.1f s%n", execution.getId(), execution.getStatus(), elapsed.toMillis() / 1000.0);
        out.printf("  items       %d%n", number(items.get("total")));
        out.printf("  published   %d%n", number(items.get("published")));
        out.printf("  rejected    %d (with a reason)%n", number(items.get("rejected")) - failedItems);
        rejectedLines.forEach(out::println);
        out.printf("  failed      %d (set aside as failed:<class>, the job going on)%n", failedItems);
        failedLines.forEach(out::println);
        // which mutants, and why: the first 20 (their staged bytes are kept, so each can be taken again)
        jdbc.sql("""
                select r.reason, r.message, u.metadata from ingest_rejection r left join upload u on u.id = r.upload_id
                where r.job_execution_id = ? and r.reason like 'failed:%' order by r.reason, r.upload_id limit 20""")
                .param(execution.getId()).query().listOfRows().forEach(row -> {
                    String metadata = (String) row.get("metadata");
                    String name = metadata == null ? "?" : UploadMetadata.parse(metadata).getOrDefault("relativePath", "?");
                    String message = String.valueOf(row.get("message"));
                    out.printf("      %s: %s%n", name, message.length() > 200 ? message.substring(0, 200) + " ..." : message);
                });
        out.printf("  crashes     %d%s%n", crashes, crashes == 0 ? "" : " (job " + execution.getStatus() + ", " + pending
                + " items unfinished, " + errorItems + " items out of memory or stack)");
        List<ItemClock.Timed> slowest = clock.slowest();
        out.printf("  hangs       %d (items over %d s; slowest %s)%n", hangs.size(), itemBound.toSeconds(),
                slowest.isEmpty() ? "none" : String.format("%.1f s, %s", slowest.getFirst().took().toMillis() / 1000.0, slowest.getFirst().item()));
        for (ItemClock.Timed t : hangs) {
            out.printf("    %.1f s%s: %s%n", t.took().toMillis() / 1000.0, t.running() ? " (still running)" : "", t.item());
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            out.println("  failure: " + execution.getExitStatus().getExitDescription());
        }
        return crashes == 0 && hangs.isEmpty() ? 0 : 1;
    }

    private List<Path> originals(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path dir = root.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(found::add);
                }
            }
        }
        if (files > 0 && files < found.size()) {
            // a sample: spread over the folders, the same files for the same count
            List<Path> sample = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                sample.add(found.get((int) ((long) i * found.size() / files)));
            }
            return sample;
        }
        return found;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
