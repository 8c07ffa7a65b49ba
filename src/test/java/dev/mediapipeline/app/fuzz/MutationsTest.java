package dev.mediapipeline.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.PngBombs;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fuzz run's mutants: the same for the same seed, and aimed at the fields decoders trust. */
@Tag("fast")
class MutationsTest {

    @Test
    void theSameFileAndSeedGiveTheSameMutants() {
        byte[] png = PngBombs.png(40, 30);
        List<Mutations.Mutant> first = Mutations.of("a.png", png, 12, 7);
        List<Mutations.Mutant> again = Mutations.of("a.png", png, 12, 7);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).bytes()).isEqualTo(first.get(i).bytes());
            assertThat(again.get(i).name()).isEqualTo(first.get(i).name());
        }
        assertThat(first).extracting(Mutations.Mutant::kind).containsExactly(Mutations.Kind.BITS, Mutations.Kind.CUT,
                Mutations.Kind.ZERO, Mutations.Kind.MAX, Mutations.Kind.SWAP, Mutations.Kind.SMEAR, Mutations.Kind.BITS,
                Mutations.Kind.CUT, Mutations.Kind.ZERO, Mutations.Kind.MAX, Mutations.Kind.SWAP, Mutations.Kind.SMEAR);
        assertThat(first.get(1).bytes().length).as("a cut is shorter").isLessThan(png.length);
        assertThat(first).allSatisfy(m -> assertThat(m.name()).startsWith("a.").endsWith(".png"));
        assertThat(Mutations.of("a.png", png, 12, 8).get(0).bytes()).as("another seed, another mutant").isNotEqualTo(first.get(0).bytes());
    }

    @Test
    void pngFieldsAreItsChunkLengthsAndDimensions() {
        List<Structure.Field> fields = Structure.fields(PngBombs.png(40, 30));
        assertThat(fields).extracting(Structure.Field::what).contains("PNG IHDR length", "PNG width", "PNG height", "PNG IDAT length",
                "PNG IEND length");
        Structure.Field width = fields.stream().filter(f -> f.what().equals("PNG width")).findFirst().orElseThrow();
        assertThat(width.read(PngBombs.png(40, 30))).isEqualTo(40);
        assertThat(width.max()).as("2^31-1 for a 32-bit field").isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void isoBoxesAreWalkedIntoTheirSampleTables() {
        byte[] stsz = box("stsz", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 9});
        byte[] movie = concat(box("ftyp", "isom".getBytes()), box("moov", box("trak", box("mdia", box("minf", box("stbl", stsz))))));
        List<String> what = Structure.fields(movie).stream().map(Structure.Field::what).toList();
        assertThat(what).contains("box ftyp size", "box moov size", "box stbl size", "stsz sample size", "stsz sample count");
    }

    private static byte[] box(String type, byte[] body) {
        byte[] out = new byte[8 + body.length];
        java.nio.ByteBuffer.wrap(out).putInt(out.length).put(type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put(body);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
