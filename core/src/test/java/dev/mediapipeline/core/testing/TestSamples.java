package dev.mediapipeline.core.testing;

import java.nio.charset.StandardCharsets;

/** Samples the tests scan. */
public final class TestSamples {

    /** The EICAR test file, assembled here so that no source file is itself a detection. */
    public static final byte[] EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
            .getBytes(StandardCharsets.US_ASCII);

    private TestSamples() {
    }
}
