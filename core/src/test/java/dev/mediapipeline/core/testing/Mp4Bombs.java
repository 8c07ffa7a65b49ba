package dev.mediapipeline.core.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real MP4 with one header field set to what a hostile upload would claim: a moov of 2 GB, an
 * stsz of 2^31 samples, a timescale of 0. Each must be refused before anything is allocated from it.
 */
public final class Mp4Bombs {

    private Mp4Bombs() {
    }

    /** Every bomb made from {@code mp4}, by name, with the reason it must be refused for. */
    public static Map<String, PngBombs.Bomb> from(Path mp4) throws IOException {
        byte[] original = Files.readAllBytes(mp4);
        Map<String, PngBombs.Bomb> bombs = new LinkedHashMap<>();
        byte[] moov2gb = original.clone();
        ByteBuffer.wrap(moov2gb).putInt(find(moov2gb, "moov"), 0x7FFFFFF0);
        bombs.put("moov-2gb.mp4", new PngBombs.Bomb(moov2gb, "corrupt"));
        byte[] stsz = original.clone();
        ByteBuffer.wrap(stsz).putInt(find(stsz, "stsz") + 16, 0x80000000); // version/flags, sample size, then the count
        bombs.put("stsz-2pow31.mp4", new PngBombs.Bomb(stsz, "corrupt"));
        byte[] timescale = original.clone();
        int mdhd = find(timescale, "mdhd");
        int at = mdhd + 8 + ((timescale[mdhd + 8] & 0xFF) == 1 ? 20 : 12);
        ByteBuffer.wrap(timescale).putInt(at, 0);
        bombs.put("timescale-0.mp4", new PngBombs.Bomb(timescale, "corrupt"));
        return bombs;
    }

    /** The offset of the first box of this type, looking inside the containers on the way to the sample tables. */
    static int find(byte[] file, String type) {
        int found = find(ByteBuffer.wrap(file), 0, file.length, type);
        if (found < 0) {
            throw new IllegalArgumentException("no " + type + " box in the file");
        }
        return found;
    }

    private static int find(ByteBuffer in, int from, int to, String type) {
        int at = from;
        while (at + 8 <= to) {
            long size = Integer.toUnsignedLong(in.getInt(at));
            String name = new String(new byte[] {in.get(at + 4), in.get(at + 5), in.get(at + 6), in.get(at + 7)},
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = in.getLong(at + 8);
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                return -1;
            }
            if (name.equals(type)) {
                return at;
            }
            if (java.util.Set.of("moov", "trak", "mdia", "minf", "stbl").contains(name)) {
                int inside = find(in, at + header, (int) (at + size), type);
                if (inside >= 0) {
                    return inside;
                }
            }
            at += (int) size;
        }
        return -1;
    }
}
