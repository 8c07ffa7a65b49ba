package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The walk over ISO BMFF boxes that the checks of a raw {@code moov} share ({@link MoovBudget},
 * {@link ReferenceMovie}): each box's size read (32-bit, 64-bit, or "to the end"), checked to fit
 * in its parent before its body is sliced, and nesting bounded. Nothing is allocated from a size.
 */
final class IsoBoxes {

    static final int MAX_DEPTH = 16;

    /** What a check does with one box; it descends by calling {@link #walk} on the body with {@code depth + 1}. */
    interface Visitor {
        void box(String type, ByteBuffer body, int depth) throws IOException;
    }

    private IsoBoxes() {
    }

    /** Visits the boxes of {@code in} (from its position to its limit) in order. */
    static void walk(ByteBuffer in, int depth, Visitor visitor) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("the movie's boxes nest deeper than " + MAX_DEPTH);
        }
        while (in.remaining() >= 8) {
            int start = in.position();
            long size = Integer.toUnsignedLong(in.getInt());
            String type = fourcc(in.getInt());
            int header = 8;
            if (size == 1) {
                if (in.remaining() < 8) {
                    throw new IOException("the " + type + " box ends in its header");
                }
                size = in.getLong();
                header = 16;
            } else if (size == 0) {
                size = in.remaining() + 8L; // to the end of its parent
            }
            if (size < header || size - header > in.remaining()) {
                throw new IOException("the " + type + " box claims " + size + " bytes, more than its parent holds");
            }
            visitor.box(type, in.slice(in.position(), (int) (size - header)), depth);
            in.position(start + (int) size);
        }
    }

    static String fourcc(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
