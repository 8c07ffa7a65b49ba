package dev.mediapipeline.core.scan;

/** What the engine found in content it scanned completely. */
public sealed interface ScanVerdict {

    record Clean() implements ScanVerdict {
    }

    /** @param signature the signature name as the engine reports it, for example {@code Win.Test.EICAR_HDB-1} */
    record Infected(String signature) implements ScanVerdict {
    }
}
