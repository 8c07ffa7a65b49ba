package dev.mediapipeline.processors.scan;

import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.scan.InfectedException;
import dev.mediapipeline.core.scan.ScanVerdict;
import dev.mediapipeline.core.scan.VirusScanner;
import dev.mediapipeline.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Scans every assembled upload, whatever its type, before anything parses it. Clean passes on with
 * the engine's version; FOUND copies the original into the quarantine bucket under its sha256 and
 * rejects the item with the signature name. A scanner that is down or gives no verdict throws a
 * transient error: retried, never passed.
 */
public class ScanProcessor implements ItemProcessor<AssembledFile, ScannedFile> {

    private final VirusScanner scanner;
    private final ObjectStore store;
    private final String quarantineBucket;

    public ScanProcessor(VirusScanner scanner, ObjectStore store, String quarantineBucket) {
        this.scanner = scanner;
        this.store = store;
        this.quarantineBucket = quarantineBucket;
    }

    @Override
    public ScannedFile process(AssembledFile file) throws IOException {
        ScanVerdict verdict;
        try (InputStream in = Files.newInputStream(file.file())) {
            verdict = scanner.scan(in);
        }
        return switch (verdict) {
            case ScanVerdict.Clean clean -> new ScannedFile(file, scanner.version());
            case ScanVerdict.Infected infected -> {
                String key = "quarantine/" + file.sha256();
                store.put(quarantineBucket, key, file.file(), "application/octet-stream");
                throw new InfectedException(infected.signature(), key);
            }
        };
    }
}
