package dev.mediapipeline.app.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The structural fields of a media file that a decoder trusts: sizes of chunks, segments and
 * boxes, table counts, widths and heights, timescales. Read for the fuzz run's mutations, so it is
 * forgiving (it stops where the file stops making sense) and bounded (at most {@value #MAX_FIELDS}
 * fields, boxes nested at most {@value #MAX_DEPTH} deep).
 */
final class Structure {

    static final int MAX_FIELDS = 4096;
    static final int MAX_DEPTH = 8;

    /** An unsigned integer field of 1 to 4 bytes. */
    record Field(int offset, int width, boolean littleEndian, String what) {

        long read(byte[] b) {
            long v = 0;
            for (int i = 0; i < width; i++) {
                int at = littleEndian ? offset + width - 1 - i : offset + i;
                v = v << 8 | (b[at] & 0xff);
            }
            return v;
        }

        void write(byte[] b, long value) {
            for (int i = 0; i < width; i++) {
                int at = littleEndian ? offset + i : offset + width - 1 - i;
                b[at] = (byte) (value >>> (8 * i));
            }
        }

        /** The largest value: 2^31-1 for a 32-bit field (what a signed reader sees as its largest), else all ones. */
        long max() {
            return width >= 4 ? Integer.MAX_VALUE : (1L << (8 * width)) - 1;
        }
    }

    private Structure() {
    }

    static List<Field> fields(byte[] b) {
        List<Field> fields = new ArrayList<>();
        try {
            if (starts(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
                png(b, fields);
            } else if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
                jpeg(b, fields);
            } else if (starts(b, 0, ascii("GIF8"))) {
                add(fields, b, 6, 2, true, "GIF screen width");
                add(fields, b, 8, 2, true, "GIF screen height");
            } else if (starts(b, 0, ascii("RIFF")) && starts(b, 8, ascii("WEBP"))) {
                riff(b, fields, true);
            } else if (starts(b, 0, ascii("RIFF"))) {
                riff(b, fields, false);
            } else if (b.length >= 8 && isoBox(b, 0)) {
                boxes(b, 0, b.length, 0, fields);
            }
        } catch (RuntimeException stop) {
            // the file stops making sense here: the fields found so far are enough to mutate
        }
        return fields;
    }

    private static void png(byte[] b, List<Field> fields) {
        int at = 8;
        while (at + 12 <= b.length && fields.size() < MAX_FIELDS) {
            long length = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            add(fields, b, at, 4, false, "PNG " + type + " length");
            switch (type) {
                case "IHDR" -> {
                    add(fields, b, at + 8, 4, false, "PNG width");
                    add(fields, b, at + 12, 4, false, "PNG height");
                }
                case "acTL" -> {
                    add(fields, b, at + 8, 4, false, "APNG frame count");
                    add(fields, b, at + 12, 4, false, "APNG play count");
                }
                case "fcTL" -> {
                    add(fields, b, at + 12, 4, false, "APNG frame width");
                    add(fields, b, at + 16, 4, false, "APNG frame height");
                }
                default -> {
                }
            }
            if (length > b.length) {
                return;
            }
            at += 12 + (int) length;
        }
    }

    private static void jpeg(byte[] b, List<Field> fields) {
        int at = 2;
        while (at + 4 <= b.length && fields.size() < MAX_FIELDS) {
            if ((b[at] & 0xff) != 0xff) {
                return;
            }
            int marker = b[at + 1] & 0xff;
            if (marker == 0xd9) {
                return;
            }
            if (marker == 0xff) {
                at++;
                continue;
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
                at += 2;
                continue;
            }
            int length = u16(b, at + 2);
            add(fields, b, at + 2, 2, false, String.format("JPEG FF%02X length", marker));
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
                add(fields, b, at + 5, 2, false, "JPEG height");
                add(fields, b, at + 7, 2, false, "JPEG width");
                add(fields, b, at + 9, 1, false, "JPEG components");
            }
            at += 2 + length;
            if (marker == 0xda) {
                // entropy-coded data: to the next marker that is not a stuffed 0xFF00 or a restart
                while (at + 1 < b.length && !((b[at] & 0xff) == 0xff && (b[at + 1] & 0xff) != 0
                        && ((b[at + 1] & 0xff) < 0xd0 || (b[at + 1] & 0xff) > 0xd7))) {
                    at++;
                }
            }
        }
    }

    private static void riff(byte[] b, List<Field> fields, boolean webp) {
        add(fields, b, 4, 4, true, "RIFF size");
        chunks(b, 12, b.length, 0, fields, webp);
    }

    private static void chunks(byte[] b, int from, int end, int depth, List<Field> fields, boolean webp) {
        int at = from;
        while (at + 8 <= end && fields.size() < MAX_FIELDS) {
            String id = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            long size = u32le(b, at + 4);
            add(fields, b, at + 4, 4, true, "RIFF " + id + " size");
            if (webp && id.equals("VP8X") && at + 18 <= end) {
                add(fields, b, at + 12, 3, true, "WebP canvas width");
                add(fields, b, at + 15, 3, true, "WebP canvas height");
            }
            if (webp && id.equals("VP8 ") && at + 18 <= end) {
                add(fields, b, at + 14, 2, true, "VP8 width");
                add(fields, b, at + 16, 2, true, "VP8 height");
            }
            if (!webp && id.equals("LIST") && depth < MAX_DEPTH && size >= 4) {
                chunks(b, at + 12, (int) Math.min(end, at + 8 + size), depth + 1, fields, false);
            }
            if (size > end) {
                return;
            }
            at += 8 + (int) size + (int) (size & 1);
        }
    }

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta", "mvex",
            "moof", "traf", "mfra", "tref", "rmra", "rmda");
    private static final Set<String> COUNTED = Set.of("stco", "co64", "stss", "stts", "stsc", "ctts", "elst", "dref", "stsd", "sbgp",
            "trun");

    private static boolean isoBox(byte[] b, int at) {
        for (int i = 4; i < 8; i++) {
            int c = b[at + i] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
        return Set.of("ftyp", "moov", "mdat", "free", "wide", "skip", "pnot", "styp").contains(type);
    }

    private static void boxes(byte[] b, int from, int end, int depth, List<Field> fields) {
        int at = from;
        while (at + 8 <= end && fields.size() < MAX_FIELDS) {
            long size = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            add(fields, b, at, 4, false, "box " + type + " size");
            if (size == 1 && at + 16 <= end) {
                add(fields, b, at + 12, 4, false, "box " + type + " large size");
                size = u32(b, at + 12);
            }
            long boxEnd = size == 0 ? end : Math.min(end, at + size);
            if (CONTAINERS.contains(type) && depth < MAX_DEPTH) {
                boxes(b, at + 8, (int) boxEnd, depth + 1, fields);
            } else if (type.equals("meta") && depth < MAX_DEPTH) {
                boxes(b, at + 12, (int) boxEnd, depth + 1, fields);
            } else if (type.equals("stsz") && at + 20 <= end) {
                add(fields, b, at + 12, 4, false, "stsz sample size");
                add(fields, b, at + 16, 4, false, "stsz sample count");
            } else if (COUNTED.contains(type) && at + 16 <= end) {
                add(fields, b, at + 12, 4, false, type + " entry count");
                if (type.equals("stsd") && depth < MAX_DEPTH) {
                    sampleEntries(b, at + 16, (int) boxEnd, fields);
                }
            } else if ((type.equals("mvhd") || type.equals("mdhd")) && at + 32 <= end) {
                int v1 = b[at + 8] == 1 ? 8 : 0;
                add(fields, b, at + 20 + v1, 4, false, type + " timescale");
                add(fields, b, at + 24 + v1, 4, false, type + " duration");
            } else if (type.equals("tkhd") && size >= 92 && at + 92 <= end) {
                add(fields, b, (int) (at + size - 8), 4, false, "tkhd width");
                add(fields, b, (int) (at + size - 4), 4, false, "tkhd height");
            }
            if (size < 8 && size != 0 && size != 1) {
                return;
            }
            if (size == 0 || at + size > end) {
                return;
            }
            at += (int) size;
        }
    }

    private static void sampleEntries(byte[] b, int from, int end, List<Field> fields) {
        int at = from;
        while (at + 36 <= end && fields.size() < MAX_FIELDS) {
            long size = u32(b, at);
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            add(fields, b, at, 4, false, "sample entry " + type + " size");
            if (Set.of("avc1", "avc3", "hvc1", "hev1", "mp4v", "vp09", "av01").contains(type)) {
                add(fields, b, at + 32, 2, false, type + " width");
                add(fields, b, at + 34, 2, false, type + " height");
                if (at + 86 <= end && size > 86) {
                    boxes(b, at + 86, (int) Math.min(end, at + size), MAX_DEPTH - 1, fields);
                }
            }
            if (size < 8 || at + size > end) {
                return;
            }
            at += (int) size;
        }
    }

    private static void add(List<Field> fields, byte[] b, int offset, int width, boolean littleEndian, String what) {
        if (offset >= 0 && offset + width <= b.length && fields.size() < MAX_FIELDS) {
            fields.add(new Field(offset, width, littleEndian, what));
        }
    }

    private static boolean starts(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private static long u32le(byte[] b, int at) {
        return (b[at + 3] & 0xffL) << 24 | (b[at + 2] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | b[at] & 0xff;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
