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

/** libjpeg-turbo through FFM against ImageIO, on every JPEG of the corpus it is used for (no ICC profile). */
class TurboJpegDecoderTest {

    @Test
    void theLibraryIsInstalledByTheProjectsScripts() {
        assertThat(TurboJpegDecoder.INSTANCE).as("libturbojpeg0 (./media installs it as root)").isPresent();
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
            var decoded = TurboJpegDecoder.INSTANCE.orElseThrow().decode(jpeg, 0, 0);
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
        BufferedImage scaled = TurboJpegDecoder.INSTANCE.orElseThrow().decode(large, 2048, 0).orElseThrow();
        assertThat(scaled.getWidth()).isEqualTo(2115);
        assertThat(scaled.getHeight()).isEqualTo(1190);
        // asking for the height instead (a photo that will be turned on its side)
        assertThat(TurboJpegDecoder.INSTANCE.orElseThrow().decode(large, 0, 2048).orElseThrow().getHeight()).isEqualTo(2379);
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
