package dev.mediapipeline.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The pipeline's own metrics (Micrometer; Prometheus names in brackets), each counted where the
 * thing happens and, for what a job writes, only once its chunk has committed, so that a rolled-back
 * chunk counts nothing and its rerun counts once:
 * <ul>
 * <li>{@code media.items} [{@code media_items_total}]: items by job, outcome (published, rejected,
 * quarantined, failed) and reason;</li>
 * <li>{@code media.ingested} [{@code media_ingested_bytes_total}]: bytes in, by kind (original);
 * {@code media.published} [{@code media_published_bytes_total}]: bytes out, by kind (rendition, stream);</li>
 * <li>{@code media.stage} [{@code media_stage_seconds}]: per-stage timings as histograms (assemble, scan,
 * validate, render, probe, package, publish); {@code media.encode} [{@code media_encode_seconds}]: each
 * rendition's encoding by format;</li>
 * <li>{@code media.scan} [{@code media_scan_seconds}]: clamd's verdicts (clean, infected, refused) and latency;</li>
 * <li>{@code media.uploads.active}, {@code media.uploads.pending} [{@code media_uploads_pending_bytes}],
 * {@code media.items.pending}: staged uploads not yet ingested and items waiting, read at each scrape;</li>
 * <li>{@code media.delivery.requests} and {@code media.delivery} [{@code media_delivery_bytes_total}]:
 * delivery by route, format and answer (full, partial, not-modified, redirect);</li>
 * <li>{@code media.cdn.purges} [{@code media_cdn_purges_total}]: purges requested, acknowledged, failed.</li>
 * </ul>
 */
public class PipelineMetrics {

    private final MeterRegistry registry;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One item's outcome, as counted and logged. */
    public record Outcome(String job, long jobExecutionId, java.util.UUID tenantId, java.util.UUID uploadId, String outcome, String reason,
            String message) {
    }

    /**
     * One item's outcome, when the caller's transaction commits (at once when there is none): counted
     * in {@code media.items}, and logged as one line on logger {@code media.items} with its fields as
     * key-value pairs (JSON fields under structured logging), no stack trace.
     */
    public void item(Outcome o) {
        Counter counter = Counter.builder("media.items").description("Items processed, by job, outcome and reason")
                .tag("job", o.job()).tag("outcome", o.outcome()).tag("reason", o.reason() == null ? "" : label(o.reason())).register(registry);
        afterCommit(() -> {
            counter.increment();
            // the fields in the text too, for the plain console layout, which prints no key-value pairs
            var line = ITEMS.atInfo().setMessage("item {} {}{} job={} execution={} tenant={}").addArgument(o.uploadId())
                    .addArgument(o.outcome()).addArgument(o.reason() == null ? "" : " (" + o.reason() + ")").addArgument(o.job())
                    .addArgument(o.jobExecutionId()).addArgument(o.tenantId())
                    .addKeyValue("job", o.job()).addKeyValue("jobExecution", o.jobExecutionId()).addKeyValue("tenant", o.tenantId())
                    .addKeyValue("upload", o.uploadId()).addKeyValue("outcome", o.outcome());
            if (o.reason() != null) {
                line = line.addKeyValue("reason", o.reason());
            }
            if (o.message() != null) {
                line = line.addKeyValue("detail", o.message().length() > 300 ? o.message().substring(0, 300) : o.message());
            }
            line.log();
        });
    }

    private static final org.slf4j.Logger ITEMS = org.slf4j.LoggerFactory.getLogger("media.items");

    /** Bytes taken in (an original), counted at commit. */
    public void ingested(String kind, long bytes) {
        Counter counter = Counter.builder("media.ingested").baseUnit("bytes").description("Bytes taken in, by kind").tag("kind", kind)
                .register(registry);
        afterCommit(() -> counter.increment(bytes));
    }

    /** Bytes published (renditions, stream files), counted at commit. */
    public void published(String kind, long bytes) {
        Counter counter = Counter.builder("media.published").baseUnit("bytes").description("Bytes published, by kind").tag("kind", kind)
                .register(registry);
        afterCommit(() -> counter.increment(bytes));
    }

    /** The timer of one stage of the item pipeline. */
    public Timer stage(String stage) {
        return Timer.builder("media.stage").description("Time spent in each stage of the item pipeline, per item or chunk")
                .tag("stage", stage).publishPercentileHistogram().register(registry);
    }

    /** One rendition's encoding, by format. */
    public void encoded(String format, Duration took) {
        Timer.builder("media.encode").description("Time to encode one rendition, by format").tag("format", label(format))
                .publishPercentileHistogram().register(registry).record(took);
    }

    /** One scan's verdict and how long it took. */
    public void scan(String verdict, Duration took) {
        Timer.builder("media.scan").description("Virus scans by verdict").tag("verdict", verdict).publishPercentileHistogram()
                .register(registry).record(took);
    }

    /** One delivery answer: its route (media, stream, archive), the format, what was sent (full, partial, not-modified, redirect) and bytes. */
    public void delivered(String route, String format, String answer, long bytes) {
        Counter.builder("media.delivery.requests").description("Delivery answers by route, format and answer").tag("route", route)
                .tag("format", label(format)).tag("answer", answer).register(registry).increment();
        if (bytes > 0) {
            Counter.builder("media.delivery").baseUnit("bytes").description("Bytes delivered by route and format").tag("route", route)
                    .tag("format", label(format)).register(registry).increment(bytes);
        }
    }

    /** CDN purge records: requested (recorded, the trailing ones included), acknowledged, failed, parked; counted at commit. */
    public void purges(String outcome, int records) {
        Counter counter = Counter.builder("media.cdn.purges").description("CDN purge records by outcome").tag("outcome", outcome)
                .register(registry);
        afterCommit(() -> counter.increment(records));
    }

    /** A value read at each scrape (a database count). */
    public void gauge(String name, String description, String baseUnit, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).baseUnit(baseUnit).strongReference(true).register(registry);
    }

    private static void afterCommit(Runnable count) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }

    /** A label value of bounded cardinality: lower case, at most 64 characters of [a-z0-9._:-]. */
    static String label(String value) {
        String lower = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._:-]", "_");
        return lower.length() > 64 ? lower.substring(0, 64) : lower;
    }
}
