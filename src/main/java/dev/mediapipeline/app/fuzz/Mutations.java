package dev.mediapipeline.app.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutants of a media file for the fuzz run, the same for the same file and seed: bit flips,
 * truncations, a structural field (a chunk's or box's size, a table's count, a width or height,
 * a timescale) set to 0 or to its largest value (2^31-1 for a 32-bit field), the sizes of two
 * structures swapped, and a run of bytes overwritten. The structure is read by {@link Structure}
 * from the file's own format (PNG, JPEG, GIF, WebP, ISO BMFF, RIFF AVI); a file it does not know
 * gets the byte-level mutations only.
 */
public final class Mutations {

    /** What was done to a mutant. */
    public enum Kind {
        BITS, CUT, ZERO, MAX, SWAP, SMEAR
    }

    /** One mutant: a file name that says what it is, and its bytes. */
    public record Mutant(String name, Kind kind, String detail, byte[] bytes) {
    }

    private Mutations() {
    }

    /**
     * {@code count} mutants of {@code original}, the kinds taken in turn.
     *
     * @param name the original's file name, kept in the mutants' names with its extension
     */
    public static List<Mutant> of(String name, byte[] original, int count, long seed) {
        List<Mutant> mutants = new ArrayList<>(count);
        each(name, original, count, seed, mutants::add);
        return mutants;
    }

    /** The same mutants, one at a time: a large original's mutants are not all held at once. */
    public static void each(String name, byte[] original, int count, long seed, java.util.function.Consumer<Mutant> sink) {
        Random random = new Random(seed * 1_000_003L + stableHash(name));
        List<Structure.Field> fields = Structure.fields(original);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            Kind kind = kinds[i % kinds.length];
            if (fields.isEmpty() && (kind == Kind.ZERO || kind == Kind.MAX || kind == Kind.SWAP)) {
                kind = i % 2 == 0 ? Kind.BITS : Kind.SMEAR;
            }
            byte[] bytes = original.length == 0 ? new byte[0] : Arrays.copyOf(original, original.length);
            String detail = original.length == 0 ? "empty" : switch (kind) {
                case BITS -> flipBits(bytes, random);
                case CUT -> {
                    int at = cutPoint(bytes.length, random);
                    bytes = Arrays.copyOf(bytes, at);
                    yield "cut at " + at + " of " + original.length;
                }
                case ZERO -> set(bytes, fields.get(random.nextInt(fields.size())), 0);
                case MAX -> {
                    Structure.Field field = fields.get(random.nextInt(fields.size()));
                    yield set(bytes, field, field.max());
                }
                case SWAP -> swap(bytes, fields, random);
                case SMEAR -> smear(bytes, random);
            };
            sink.accept(new Mutant(String.format("%s.%s-%03d%s", stem, kind.name().toLowerCase(java.util.Locale.ROOT), i, extension),
                    kind, detail, bytes));
        }
    }

    /** A hash of the name that is the same in every JVM (String's is specified, but spelled out here on purpose). */
    private static long stableHash(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return h;
    }

    /** Half of the mutants are cut within the first 4 KiB, where the headers are. */
    private static int cutPoint(int length, Random random) {
        if (length < 2) {
            return 0;
        }
        int bound = random.nextBoolean() ? Math.min(length, 4096) : length;
        return 1 + random.nextInt(bound - 1);
    }

    private static String flipBits(byte[] bytes, Random random) {
        int flips = 1 + random.nextInt(32);
        for (int i = 0; i < flips; i++) {
            int bound = random.nextBoolean() ? Math.min(bytes.length, 4096) : bytes.length;
            int at = random.nextInt(bound);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return flips + " bits flipped";
    }

    private static String smear(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        int length = Math.min(bytes.length - at, 16 + random.nextInt(241));
        byte value = random.nextBoolean() ? (byte) 0xff : (byte) random.nextInt(256);
        Arrays.fill(bytes, at, at + length, value);
        return length + " bytes at " + at + " set to " + (value & 0xff);
    }

    private static String set(byte[] bytes, Structure.Field field, long value) {
        long was = field.read(bytes);
        field.write(bytes, value);
        return field.what() + " at " + field.offset() + " set from " + was + " to " + value;
    }

    private static String swap(byte[] bytes, List<Structure.Field> fields, Random random) {
        Structure.Field a = fields.get(random.nextInt(fields.size()));
        List<Structure.Field> same = fields.stream().filter(f -> f.width() == a.width() && f.offset() != a.offset()).toList();
        if (same.isEmpty()) {
            return set(bytes, a, a.max());
        }
        Structure.Field b = same.get(random.nextInt(same.size()));
        long va = a.read(bytes);
        long vb = b.read(bytes);
        a.write(bytes, vb);
        b.write(bytes, va);
        return a.what() + " at " + a.offset() + " swapped with " + b.what() + " at " + b.offset();
    }
}
