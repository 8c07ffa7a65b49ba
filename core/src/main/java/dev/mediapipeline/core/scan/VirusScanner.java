package dev.mediapipeline.core.scan;

import java.io.InputStream;

/**
 * The virus scanning port. Fails closed: a verdict of {@link ScanVerdict.Clean} comes only from an
 * engine that scanned every byte and said so. A scanner that is down, slow or answers something
 * unexpected throws {@link ScannerUnavailableException}; content too large to scan throws
 * {@link ScanLimitExceededException}.
 */
public interface VirusScanner {

    ScanVerdict scan(InputStream content);

    /** The engine and signature database version, as the engine reports it. */
    String version();
}
