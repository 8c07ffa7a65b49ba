package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Checks a raw {@code moov} box before JCodec parses it, since JCodec allocates what a header
 * declares: every box must fit inside its parent, every sample table's entry count must fit in its
 * box (or, for a constant sample size, the samples must fit in the file), and every timescale must
 * be positive. A movie that fails is refused as corrupt; nothing large has been allocated by then.
 */
final class MoovBudget {

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "mvex", "dinf");
    /** more samples than any real 3-hour movie has (a 1000 fps video would have 10.8 million) */
    static final long MAX_SAMPLES = 50_000_000;

    private MoovBudget() {
    }

    /** @param moov the whole moov box, header included, positioned at its start */
    static void check(ByteBuffer moov, long fileSize) throws IOException {
        IsoBoxes.walk(moov.duplicate(), 0, new IsoBoxes.Visitor() {
            @Override
            public void box(String type, ByteBuffer body, int depth) throws IOException {
                if (CONTAINERS.contains(type)) {
                    IsoBoxes.walk(body, depth + 1, this);
                } else {
                    table(type, body, fileSize);
                }
            }
        });
    }

    private static void table(String type, ByteBuffer body, long fileSize) throws IOException {
        switch (type) {
            case "stsz" -> {
                need(type, body, 12);
                long sampleSize = Integer.toUnsignedLong(body.getInt(4));
                long count = Integer.toUnsignedLong(body.getInt(8));
                samples(type, count);
                if (sampleSize == 0 ? count * 4 > body.remaining() - 12 : count * sampleSize > fileSize) {
                    throw new IOException("stsz claims " + count + " samples, more than its box or the file holds");
                }
            }
            case "stco", "stss" -> entries(type, body, 4);
            case "co64", "stts", "ctts" -> entries(type, body, 8);
            case "stsc" -> entries(type, body, 12);
            case "mdhd", "mvhd" -> {
                need(type, body, 4);
                int version = body.get(0) & 0xFF;
                int at = version == 1 ? 20 : 12;
                need(type, body, at + 4);
                if (body.getInt(at) <= 0) {
                    throw new IOException("the " + type + " timescale is " + Integer.toUnsignedLong(body.getInt(at)));
                }
            }
            default -> {
                // other boxes: their size was checked against their parent
            }
        }
    }

    private static void entries(String type, ByteBuffer body, int entrySize) throws IOException {
        need(type, body, 8);
        long count = Integer.toUnsignedLong(body.getInt(4));
        samples(type, count);
        if (count * entrySize > body.remaining() - 8) {
            throw new IOException(type + " claims " + count + " entries, more than its " + body.remaining() + "-byte box holds");
        }
    }

    private static void samples(String type, long count) throws IOException {
        if (count > MAX_SAMPLES) {
            throw new IOException(type + " claims " + count + " entries, over " + MAX_SAMPLES);
        }
    }

    private static void need(String type, ByteBuffer body, int bytes) throws IOException {
        if (body.remaining() < bytes) {
            throw new IOException("the " + type + " box is " + body.remaining() + " bytes, too short");
        }
    }
}
