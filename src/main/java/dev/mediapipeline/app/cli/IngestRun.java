package dev.mediapipeline.app.cli;

import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobDeclaration;
import java.util.UUID;
import dev.mediapipeline.jobs.ingest.IngestJobConfiguration;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the ingest job in the foreground with a progress bar, then prints what it did: the counts,
 * then every file it refused, one line each by name (reason and message; an infected one's signature
 * and quarantine key), then every item that failed (its failure ledger entries of the execution).
 */
@Component
class IngestRun {

    private final JobControl jobs;
    private final JdbcClient jdbc;

    IngestRun(JobControl jobs, JdbcClient jdbc) {
        this.jobs = jobs;
        this.jdbc = jdbc;
    }

    /** Runs the job with nothing printed: for the benchmark, which times it. */
    JobExecution runQuietly() throws Exception {
        return runToEnd(Instant.now(), null);
    }

    /**
     * Launches a new instance (jobs run in the background in this application) and waits for its end.
     *
     * @param tenantId only this tenant's uploads, or null for every one staged
     */
    private JobExecution runToEnd(Instant started, UUID tenantId) throws InterruptedException {
        return jobs.awaitEnd(launch(started, tenantId).getId(), Duration.ofMillis(200));
    }

    /** Launches a new instance over the tenant's staged uploads (every one's when null) and returns at once. */
    JobExecution launch(Instant started, UUID tenantId) {
        JobParametersBuilder parameters = new JobParametersBuilder().addString(JobDeclaration.RUN, started.toString());
        if (tenantId != null) {
            parameters.addString(JobDeclaration.TENANT, tenantId.toString());
        }
        return jobs.launch(IngestJobConfiguration.JOB, parameters.toJobParameters());
    }

    /**
     * Runs the job over the tenant's staged uploads with a progress bar, and prints what it did.
     *
     * @return 0 when the job COMPLETED, refusals or not (a refused file is an outcome, not an error);
     *         1 when it FAILED, was STOPPED or could not start
     */
    int run(PrintStream out, UUID tenantId) {
        Instant started = Instant.now();
        // before the job freezes them: it removes a quarantined upload, and its name with it, in its last step
        Map<UUID, String> names = stagedNames(tenantId);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        JobExecution execution;
        try {
            progress.scheduleAtFixedRate(() -> bar(out), 500, 500, TimeUnit.MILLISECONDS);
            execution = runToEnd(started, tenantId);
        } catch (Exception e) {
            out.println();
            out.println("the ingest job could not start: " + e.getMessage());
            return 1;
        } finally {
            progress.shutdownNow();
        }
        bar(out);
        out.println();
        summary(out, execution, Duration.between(started, Instant.now()), names);
        return execution.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
    }

    /** Progress of the newest frozen batch: items done of items frozen. */
    private void bar(PrintStream out) {
        Map<String, Object> row = jdbc.sql("""
                select count(*) as total, count(*) filter (where state <> 'PENDING') as done from ingest_item
                where job_instance_id = (select max(job_instance_id) from ingest_item)""").query().singleRow();
        long total = ((Number) row.get("total")).longValue();
        long done = ((Number) row.get("done")).longValue();
        int width = 40;
        int filled = total == 0 ? 0 : (int) (width * done / total);
        out.printf("\r  ingest [%s%s] %d/%d", "#".repeat(filled), " ".repeat(width - filled), done, total);
        out.flush();
    }

    private void summary(PrintStream out, JobExecution execution, Duration elapsed, Map<UUID, String> names) {
        long id = execution.getId();
        long published = jdbc.sql("select count(*) from asset_version where job_execution_id = ?").param(id).query(Long.class).single();
        List<Map<String, Object>> rejected = jdbc.sql("""
                select reason, count(*) as n from ingest_rejection where job_execution_id = ? group by reason order by n desc, reason""")
                .param(id).query().listOfRows();
        long quarantined = jdbc.sql("select count(*) from ingest_rejection where job_execution_id = ? and quarantine_key is not null")
                .param(id).query(Long.class).single();
        long bytesIn = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset_version v join file_ref f on f.sha256 = v.original_sha256
                where v.job_execution_id = ?""").param(id).query(Long.class).single();
        long bytesOut = jdbc.sql("""
                select coalesce(sum(f.size), 0) from asset_version v join rendition r on r.asset_id = v.asset_id and r.version = v.version
                join file_ref f on f.sha256 = r.sha256 where v.job_execution_id = ?""").param(id).query(Long.class).single();
        out.printf("job %s execution %d: %s in %.1f s%n", IngestJobConfiguration.JOB, id, execution.getStatus(), elapsed.toMillis() / 1000.0);
        out.printf("  published   %d%n", published);
        long rejectedTotal = rejected.stream().mapToLong(r -> ((Number) r.get("n")).longValue()).sum();
        out.printf("  rejected    %d%n", rejectedTotal);
        for (Map<String, Object> r : rejected) {
            out.printf("    %-22s %d%n", r.get("reason"), ((Number) r.get("n")).longValue());
        }
        out.printf("  quarantined %d%n", quarantined);
        out.printf("  bytes in    %.1f MB (published originals), bytes out %.1f MB (renditions)%n", bytesIn / 1e6, bytesOut / 1e6);
        refused(out, id, names);
        failed(out, id, names);
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            // the job ran on another thread: its exceptions are in the stored exit description
            String description = execution.getExitStatus().getExitDescription();
            out.println("  failure: " + (description.length() > 2000 ? description.substring(0, 2000) + " ..." : description));
        }
    }

    /** One refused file of the execution: its name, reason, and message (an infected one's signature and quarantine key). */
    private record Refused(String name, UUID upload, String reason, String detail) {
    }

    /** One failure ledger entry of the execution that is not a refusal listed above. */
    private record Failed(String name, UUID item, String failureClass, String message) {
    }

    private static final Comparator<Refused> REFUSED_BY_NAME = Comparator.comparing(Refused::name).thenComparing(Refused::upload);
    private static final Comparator<Failed> FAILED_BY_NAME = Comparator.comparing(Failed::name).thenComparing(Failed::item)
            .thenComparing(Failed::failureClass);

    /**
     * The names of the uploads the job is about to freeze (the tenant's COMPLETE uploads no batch
     * holds yet), as staged: relative to the folder for the command line's own. Read before the
     * launch, since the job's last step removes a quarantined upload's row; an upload completed
     * between this and the freeze is named from its row afterwards.
     */
    private Map<UUID, String> stagedNames(UUID tenantId) {
        Map<UUID, String> names = new HashMap<>();
        jdbc.sql("""
                select u.id, u.metadata from upload u
                where u.status = 'COMPLETE' and (cast(? as uuid) is null or u.tenant_id = ?)
                  and not exists (select 1 from ingest_item i where i.upload_id = u.id)""")
                .params(tenantId, tenantId).query((RowCallbackHandler) rs -> {
                    String name = Lines.stagedName(rs.getString("metadata"));
                    if (name != null) {
                        names.put(rs.getObject("id", UUID.class), name);
                    }
                });
        return names;
    }

    /** An item's name: as staged, else from its upload row or published asset, else its id. */
    private static String nameOf(UUID item, Map<UUID, String> names, String metadata, String assetFilename) {
        String name = names.get(item);
        if (name == null) {
            name = Lines.stagedName(metadata);
        }
        if (name == null && assetFilename != null && !assetFilename.isBlank()) {
            name = assetFilename;
        }
        return name == null ? "upload " + item : Lines.name(name);
    }

    /**
     * Every file the execution refused ({@code ingest_rejection}), by name, one bounded line each:
     * name, reason, message; for an infected one the signature clamd reported and the quarantine key
     * instead. All of them, however many: the user asked which files; each line stays short.
     */
    private void refused(PrintStream out, long executionId, Map<UUID, String> names) {
        List<Refused> refused = new ArrayList<>();
        jdbc.sql("""
                select r.upload_id, r.reason, left(r.message, 1000) as message, left(r.signature, 200) as signature,
                       left(r.quarantine_key, 200) as quarantine_key, u.metadata, a.original_filename
                from ingest_rejection r left join upload u on u.id = r.upload_id left join asset a on a.id = r.upload_id
                where r.job_execution_id = ?""").param(executionId).query((RowCallbackHandler) rs -> {
                    UUID upload = rs.getObject("upload_id", UUID.class);
                    String signature = rs.getString("signature");
                    String key = rs.getString("quarantine_key");
                    String detail = signature == null && key == null ? Lines.message(rs.getString("message"))
                            : Lines.message(signature == null ? "no signature" : signature, 100)
                                    + (key == null ? "" : ", quarantined as " + Lines.message(key, 200));
                    refused.add(new Refused(nameOf(upload, names, rs.getString("metadata"), rs.getString("original_filename")), upload,
                            Lines.message(rs.getString("reason"), 60), detail));
                });
        if (refused.isEmpty()) {
            return;
        }
        refused.sort(REFUSED_BY_NAME);
        int nameWidth = Lines.width(refused.stream().map(Refused::name).toList(), 48);
        int reasonWidth = Lines.width(refused.stream().map(Refused::reason).toList(), 30);
        out.printf("  refused files (%d), by name:%n", refused.size());
        for (Refused r : refused) {
            out.printf("    %-" + nameWidth + "s  %-" + reasonWidth + "s  %s%n", r.name(), r.reason(), r.detail());
        }
    }

    /**
     * The items that failed in the execution: its failure ledger entries (a fault that was no refusal:
     * one that failed the job, or one that a retry then got through, marked resolved), by name. An
     * entry that is a refusal listed above is not repeated.
     */
    private void failed(PrintStream out, long executionId, Map<UUID, String> names) {
        List<Failed> failed = new ArrayList<>();
        jdbc.sql("""
                select l.item_id, l.item_kind, l.failure_class, left(l.reason, 1000) as reason, l.resolved_at is not null as resolved,
                       u.metadata, a.original_filename
                from failure_ledger l left join upload u on u.id = l.item_id left join asset a on a.id = l.item_id
                where l.job_execution_id = ? and not exists (
                    select 1 from ingest_rejection r where r.upload_id = l.item_id and r.job_execution_id = l.job_execution_id
                      and (l.failure_class = ('rejected:' || r.reason) or l.failure_class = r.reason
                           or (r.reason = 'failed' and l.failure_class like 'failed:%')))""")
                .param(executionId).query((RowCallbackHandler) rs -> {
                    UUID item = rs.getObject("item_id", UUID.class);
                    String name = "ASSET".equals(rs.getString("item_kind")) ? "asset " + item
                            : nameOf(item, names, rs.getString("metadata"), rs.getString("original_filename"));
                    failed.add(new Failed(name, item, Lines.message(rs.getString("failure_class"), 60),
                            (rs.getBoolean("resolved") ? "(resolved: a later attempt published it) " : "")
                                    + Lines.message(rs.getString("reason"))));
                });
        if (failed.isEmpty()) {
            return;
        }
        failed.sort(FAILED_BY_NAME);
        int nameWidth = Lines.width(failed.stream().map(Failed::name).toList(), 48);
        int classWidth = Lines.width(failed.stream().map(Failed::failureClass).toList(), 40);
        out.printf("  failed items (%d), by name:%n", failed.size());
        for (Failed f : failed) {
            out.printf("    %-" + nameWidth + "s  %-" + classWidth + "s  %s%n", f.name(), f.failureClass(), f.message());
        }
    }
}
