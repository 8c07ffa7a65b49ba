package dev.mediapipeline.core.scan;

import dev.mediapipeline.core.metrics.PipelineMetrics;
import java.io.InputStream;

/**
 * A scanner whose verdicts and latency are counted ({@code media.scan}: clean, infected, or refused when
 * the engine was unavailable or the content over its limits), the verdict itself passed on unchanged.
 */
public final class MeteredScanner implements VirusScanner {

    private final VirusScanner delegate;
    private final PipelineMetrics metrics;

    public MeteredScanner(VirusScanner delegate, PipelineMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    /** The scanner that does the work. */
    public VirusScanner delegate() {
        return delegate;
    }

    @Override
    public ScanVerdict scan(InputStream content) {
        long start = System.nanoTime();
        String verdict = "refused";
        try {
            ScanVerdict result = delegate.scan(content);
            verdict = result instanceof ScanVerdict.Infected ? "infected" : "clean";
            return result;
        } finally {
            metrics.scan(verdict, java.time.Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public String version() {
        return delegate.version();
    }
}
