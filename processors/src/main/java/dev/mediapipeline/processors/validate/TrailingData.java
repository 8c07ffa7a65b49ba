package dev.mediapipeline.processors.validate;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.tika.mime.MediaType;

/**
 * Says what, if anything recognisable, follows an image's end. Padding (NUL, 0xFF, white space: a
 * newline after the end marker is common in real photos) and bytes no detector recognises are
 * tolerated; an archive, a document, a script, markup, an executable or another image is not.
 */
final class TrailingData {

    /** Signatures of what a polyglot appends: archives, documents, executables' scripts, markup. */
    private static final List<byte[]> SIGNATURES = List.of(
            bytes("PK\u0003\u0004"), bytes("PK\u0005\u0006"), bytes("Rar!\u001a\u0007"), bytes("7z\u00bc\u00af\u0027\u001c"),
            bytes("%PDF-"), bytes("<script"), bytes("<?php"), bytes("<html"), bytes("<svg"), bytes("#!/"));
    private static final int LONGEST = SIGNATURES.stream().mapToInt(s -> s.length).max().orElseThrow();

    private TrailingData() {
    }

    /** A description of what follows {@code from}, or null when it is nothing recognisable. */
    static String identify(Path file, long from) throws IOException {
        long start = firstNonPadding(file, from);
        if (start < 0) {
            return null; // only padding
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(start);
            in.mark(64 * 1024 + 1);
            MediaType type = MagicBytes.detect(BoundedInputStream.builder().setInputStream(in).setMaxCount(64 * 1024)
                    .setPropagateClose(false).get());
            // text is what detectors say of any printable bytes: not content by itself; what a script or
            // markup would be is looked for below
            if (!type.equals(MediaType.OCTET_STREAM) && !type.equals(MediaType.TEXT_PLAIN)) {
                return type.toString();
            }
            in.reset();
            return findSignature(in);
        }
    }

    private static long firstNonPadding(Path file, long from) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(from);
            long position = from;
            int b;
            while ((b = in.read()) == 0 || b == 0xFF || b == '\n' || b == '\r' || b == ' ' || b == '\t') {
                position++;
            }
            return b < 0 ? -1 : position;
        }
    }

    private static String findSignature(InputStream in) throws IOException {
        byte[] window = new byte[64 * 1024 + LONGEST];
        int carried = 0;
        int n;
        while ((n = in.read(window, carried, window.length - carried)) > 0) {
            int filled = carried + n;
            for (byte[] signature : SIGNATURES) {
                if (indexOf(window, filled, signature) >= 0) {
                    return "\"" + new String(signature, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?") + "\" data";
                }
            }
            carried = Math.min(LONGEST - 1, filled);
            System.arraycopy(window, filled - carried, window, 0, carried);
        }
        return null;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
