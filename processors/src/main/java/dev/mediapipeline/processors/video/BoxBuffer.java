package dev.mediapipeline.processors.video;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Writes ISO BMFF boxes into memory (headers only: moov, moof; media data is copied file to file). */
final class BoxBuffer {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private final Deque<Integer> open = new ArrayDeque<>();
    /** {start, size} of every closed box, patched in by {@link #toBytes()} */
    private final java.util.List<int[]> sizes = new java.util.ArrayList<>();

    BoxBuffer begin(String type) {
        open.push(out.size());
        u32(0);
        fourcc(type);
        return this;
    }

    BoxBuffer beginFull(String type, int version, int flags) {
        begin(type);
        u32((version << 24) | (flags & 0xffffff));
        return this;
    }

    BoxBuffer end() {
        int start = open.pop();
        sizes.add(new int[] {start, out.size() - start});
        return this;
    }

    BoxBuffer u8(int v) {
        out.write(v);
        return this;
    }

    BoxBuffer u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    BoxBuffer u32(long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
        return this;
    }

    BoxBuffer u64(long v) {
        u32(v >>> 32);
        u32(v & 0xffffffffL);
        return this;
    }

    BoxBuffer zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    BoxBuffer fourcc(String type) {
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    BoxBuffer bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    int position() {
        return out.size();
    }

    /** The boxes written, with every box's size filled in. */
    byte[] toBytes() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " boxes left open");
        }
        byte[] b = out.toByteArray();
        for (int[] s : sizes) {
            putU32(b, s[0], s[1]);
        }
        return b;
    }

    static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
