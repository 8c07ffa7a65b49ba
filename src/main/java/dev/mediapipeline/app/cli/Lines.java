package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.ledger.FailureLedger;
import dev.mediapipeline.core.staging.UploadMetadata;
import java.util.Map;

/**
 * Text for the command line's reports, one line per file whatever its name or a decoder's complaint
 * holds. A name is the client's (a tus client's {@code relativePath}, a folder's file name) and a
 * message may quote the hostile file itself: both can carry terminal escapes, bidi overrides that
 * show a name reversed, or line breaks that would forge a line of the report. They are made
 * printable as the failure ledger stores them ({@link FailureLedger#printable}: each such character
 * becomes U+FFFD) and bounded, so that a run of any size prints one short line per item.
 */
final class Lines {

    /** The longest name printed; a longer one keeps its start and its end (the extension). */
    static final int MAX_NAME = 160;
    /** The longest message printed. */
    static final int MAX_MESSAGE = 200;

    private Lines() {
    }

    /**
     * A file name on one line: printable, its line breaks and tabs U+FFFD too (a name is shown as it
     * is, never reflowed), at most {@value #MAX_NAME} characters with {@code ...} in the middle.
     */
    static String name(String name) {
        if (name == null || name.isEmpty()) {
            return "?";
        }
        String printable = FailureLedger.printable(name).replace('\n', '\ufffd').replace('\t', '\ufffd');
        if (printable.length() <= MAX_NAME) {
            return printable;
        }
        int half = (MAX_NAME - 3) / 2;
        int head = half;
        if (Character.isHighSurrogate(printable.charAt(head - 1))) {
            head--; // a pair is not cut in two
        }
        int tail = printable.length() - half;
        if (Character.isLowSurrogate(printable.charAt(tail))) {
            tail++;
        }
        return printable.substring(0, head) + "..." + printable.substring(tail);
    }

    /** A message on one line: printable, each run of white space one space, at most {@value #MAX_MESSAGE} characters. */
    static String message(String message) {
        return message(message, MAX_MESSAGE);
    }

    /** A message on one line: printable, each run of white space one space, at most {@code max} characters and {@code " ..."}. */
    static String message(String message, int max) {
        if (message == null) {
            return "";
        }
        String printable = FailureLedger.printable(message);
        StringBuilder out = new StringBuilder(Math.min(printable.length(), max));
        boolean space = false;
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            if (Character.isWhitespace(c)) {
                space = !out.isEmpty();
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
            if (out.length() > max) {
                break;
            }
        }
        if (out.length() <= max) {
            return out.toString();
        }
        int cut = max;
        if (Character.isHighSurrogate(out.charAt(cut - 1))) {
            cut--;
        }
        return out.substring(0, cut) + " ...";
    }

    /**
     * The name an upload was staged under, from its tus metadata: the {@code relativePath} the command
     * line (or a client) gave, else the {@code filename}; null when it has neither or the metadata
     * cannot be read.
     */
    static String stagedName(String metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            Map<String, String> pairs = UploadMetadata.parse(metadata);
            String relative = pairs.get("relativePath");
            if (relative != null && !relative.isBlank()) {
                return relative;
            }
            String filename = pairs.get("filename");
            return filename == null || filename.isBlank() ? null : filename;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The widest of these texts, at most {@code max}: a column that long names do not stretch for everyone. */
    static int width(Iterable<String> texts, int max) {
        int width = 1;
        for (String text : texts) {
            width = Math.max(width, text.length());
        }
        return Math.min(width, max);
    }
}
