package dev.mediapipeline.core.scan;

import dev.mediapipeline.core.error.RejectedException;

/** The scanner found a signature; the original was moved to quarantine. */
public class InfectedException extends RejectedException {

    private final String signature;
    private final String quarantineKey;

    public InfectedException(String signature, String quarantineKey) {
        super("infected", "infected with " + signature + "; quarantined as " + quarantineKey);
        this.signature = signature;
        this.quarantineKey = quarantineKey;
    }

    public String signature() {
        return signature;
    }

    public String quarantineKey() {
        return quarantineKey;
    }
}
