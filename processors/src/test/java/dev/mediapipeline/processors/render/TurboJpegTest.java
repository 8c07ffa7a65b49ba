package dev.mediapipeline.processors.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.core.testing.TestServices;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libjpeg-turbo through FFM against ImageIO, on every JPEG of the corpus it is used for (no ICC profile). */
class TurboJpegTest {

    @Test
    void theLibraryIsInstalledByTheProjectsScripts() {
        assertThat(TurboJpeg.INSTANCE).as("libturbojpeg0 (./media installs it as root)").isPresent();
    }

    @Test
    void fullSizeDecodesMatchTheJdkDecoder() throws Exception {
        List<Path> jpegs;
        try (Stream<Path> files = Files.list(TestServices.corpus().resolve("jpeg"))) {
            jpegs = files.sorted().toList();
        }
        int compared = 0;
        for (Path jpeg : jpegs) {
            if (new String(Files.readAllBytes(jpeg), java.nio.charset.StandardCharsets.ISO_8859_1).contains("ICC_PROFILE")) {
                continue; // colour-managed: the renditions stage decodes these with ImageIO, which applies the profile
            }
            BufferedImage reference = ImageIO.read(jpeg.toFile());
            if (reference.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                reference = ImageRenditionsProcessor.grayAsSrgb(reference); // raw samples, not Java2D's linear-grey reading
            }
            var decoded = TurboJpeg.INSTANCE.orElseThrow().decode(jpeg, 0, 0);
            if (decoded.isEmpty()) {
                continue; // CMYK or YCCK: decoded by ImageIO instead
            }
            BufferedImage image = decoded.get();
            assertThat(image.getWidth()).as(jpeg.toString()).isEqualTo(reference.getWidth());
            assertThat(image.getHeight()).isEqualTo(reference.getHeight());
            assertThat(meanAbsoluteDifference(image, reference)).as(jpeg.getFileName().toString()).isLessThan(3.0);
            compared++;
        }
        assertThat(compared).isGreaterThan(25);
    }

    @Test
    void aLargePhotoIsDecodedAtTheSmallestScaleThatCoversTheLargestRendition() throws Exception {
        Path large = TestServices.corpus().resolve("jpeg/abstract__Elephants_5640x3172.jpg");
        // libjpeg-turbo scales by eighths: 3/8 of 5640 is 2115, the narrowest at least 2048 wide (2/8 is 1410)
        BufferedImage scaled = TurboJpeg.INSTANCE.orElseThrow().decode(large, 2048, 0).orElseThrow();
        assertThat(scaled.getWidth()).isEqualTo(2115);
        assertThat(scaled.getHeight()).isEqualTo(1190);
        // asking for the height instead (a photo that will be turned on its side)
        assertThat(TurboJpeg.INSTANCE.orElseThrow().decode(large, 0, 2048).orElseThrow().getHeight()).isEqualTo(2379);
    }

    @Test
    void encodingMatchesTheJdkEncoderInFidelityAndSizeWithoutMetadata(@TempDir Path dir) throws Exception {
        Path photo = TestServices.corpus().resolve("jpeg/data__hubble_deep_field.jpg");
        BufferedImage source = ImageIO.read(photo.toFile());
        BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(source, 0, 0, null);

        Path turbo = dir.resolve("turbo.jpg");
        TurboJpeg.INSTANCE.orElseThrow().encode(rgb, 80, turbo);
        Path jdk = dir.resolve("jdk.jpg");
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = new javax.imageio.plugins.jpeg.JPEGImageWriteParam(null);
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.8f);
        param.setOptimizeHuffmanTables(true);
        try (var out = ImageIO.createImageOutputStream(jdk.toFile())) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(rgb, null, null), param);
        }
        writer.dispose();

        // the same fidelity as the JDK's encoder at the same quality and subsampling
        double turboError = meanAbsoluteDifference(ImageIO.read(turbo.toFile()), rgb);
        double jdkError = meanAbsoluteDifference(ImageIO.read(jdk.toFile()), rgb);
        assertThat(turboError).as("libjpeg-turbo %.2f vs JDK %.2f", turboError, jdkError).isLessThan(jdkError * 1.1);
        // optimised Huffman tables: the same size as the JDK's optimised output, give or take a few per cent
        assertThat((double) Files.size(turbo) / Files.size(jdk)).isBetween(0.9, 1.05);
        String bytes = new String(Files.readAllBytes(turbo), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("Exif").doesNotContain("ICC_PROFILE");
    }

    @Test
    void aCroppedSubImageIsEncodedFromItsOwnPixels(@TempDir Path dir) throws Exception {
        BufferedImage whole = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = whole.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 100, 100);
        g.setColor(java.awt.Color.BLUE);
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        Path out = dir.resolve("crop.jpg");
        TurboJpeg.INSTANCE.orElseThrow().encode(whole.getSubimage(100, 0, 100, 100), 90, out);
        BufferedImage decoded = ImageIO.read(out.toFile());
        assertThat(decoded.getWidth()).isEqualTo(100);
        assertThat(new java.awt.Color(decoded.getRGB(50, 50)).getBlue()).isGreaterThan(200);
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        long samples = 0;
        for (int y = 0; y < a.getHeight(); y += 7) {
            for (int x = 0; x < a.getWidth(); x += 7) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                    samples++;
                }
            }
        }
        return (double) sum / samples;
    }
}
