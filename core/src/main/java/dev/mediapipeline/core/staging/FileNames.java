package dev.mediapipeline.core.staging;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A client's file name (tus {@code Upload-Metadata: filename}) made safe to show and to store: its
 * last path segment only (browsers send {@code C:\fakepath\photo.jpg}), NFC, no control characters
 * (NUL included) and no bidirectional overrides (which make {@code photo\u202Egpj.exe} read as
 * {@code photoexe.jpg}), no leading or trailing blanks, at most 255 bytes of UTF-8 with the extension
 * kept, never empty. Accents, CJK and emoji (joiners included) pass as they are. Object keys never
 * derive from it.
 */
public final class FileNames {

    public static final int MAX_BYTES = 255;

    private FileNames() {
    }

    /** @return the safe name, or {@code fallback} when nothing of the name is left */
    public static String sanitize(String raw, String fallback) {
        if (raw == null) {
            return fallback;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int separator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(separator + 1);
        StringBuilder kept = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c) && !isBidiControl(c) && c != 0xFEFF).forEach(kept::appendCodePoint);
        name = kept.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return fallback;
        }
        return fit(name);
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /** At most {@link #MAX_BYTES} of UTF-8, cut between code points, the extension kept when it is short. */
    private static String fit(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String stem = extension.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_BYTES - extension.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int c = stem.codePointAt(i);
            int bytes = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            out.appendCodePoint(c);
            used += bytes;
            i += Character.charCount(c);
        }
        return out + extension;
    }
}
