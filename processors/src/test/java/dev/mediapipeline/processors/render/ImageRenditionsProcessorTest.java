package dev.mediapipeline.processors.render;

import static dev.mediapipeline.processors.TestItems.validated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.testing.TestServices;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRenditionsProcessorTest {

    @TempDir
    Path temp;

    ImageRenditionsProcessor render() {
        return new ImageRenditionsProcessor(RenditionProfile.defaults(), temp.resolve("work"));
    }

    @Test
    void everyRealImageGetsItsRenditionsAtTheProfileWidths() throws Exception {
        List<Path> images = new ArrayList<>();
        for (String folder : List.of("jpeg", "png", "png-alpha", "gif")) {
            try (Stream<Path> files = Files.list(TestServices.corpus().resolve(folder))) {
                files.sorted().forEach(images::add);
            }
        }
        for (Path image : images) {
            RenderedImage rendered = render().process(validated(image));
            List<Integer> expectedWidths = render().targetWidths(rendered.width());
            assertThat(rendered.renditions()).as(image.getFileName().toString()).hasSize(2 * expectedWidths.size());
            for (RenditionFile rendition : rendered.renditions()) {
                assertThat(expectedWidths).contains(rendition.width());
                assertThat(rendition.format()).isIn(rendered.alpha() ? List.of("png", "webp") : List.of("jpeg", "webp"));
                assertThat(headerSize(rendition.file())).as(rendition.toString())
                        .containsExactly(rendition.width(), rendition.height());
                assertThat((double) rendition.height() / rendition.width())
                        .isCloseTo((double) rendered.height() / rendered.width(), org.assertj.core.data.Offset.offset(0.02));
                assertThat(Files.size(rendition.file())).isEqualTo(rendition.size()).isPositive();
                Files.delete(rendition.file());
            }
        }
    }

    @Test
    void aStripTallerThanWebpCanHoldGetsItsJpegAndNoWebp(@TempDir Path dir) throws Exception {
        // 100 x 16400: within every budget, but a rendition at its own width is taller than WebP's 16,383
        Path strip = Files.write(dir.resolve("strip.png"), dev.mediapipeline.core.testing.PngBombs.tallerThanWebp());
        RenderedImage rendered = render().process(validated(strip));
        assertThat(rendered.renditions()).extracting(RenditionFile::format).containsExactly("jpeg");
        RenditionFile jpeg = rendered.renditions().getFirst();
        assertThat(new int[] {jpeg.width(), jpeg.height()}).containsExactly(100, 16400);
        BufferedImage decoded = ImageIO.read(jpeg.file().toFile());
        assertThat(new int[] {decoded.getWidth(), decoded.getHeight()}).containsExactly(100, 16400);
    }

    @Test
    void transparencyIsKeptInPngAndWebp() throws Exception {
        Path logo = null;
        try (Stream<Path> files = Files.list(TestServices.corpus().resolve("png-alpha"))) {
            for (Path candidate : files.sorted().toList()) {
                if (hasTransparentPixel(ImageIO.read(candidate.toFile()))) {
                    logo = candidate;
                    break;
                }
            }
        }
        assertThat(logo).as("a corpus PNG with transparent pixels").isNotNull();
        RenderedImage rendered = render().process(validated(logo));
        assertThat(rendered.alpha()).isTrue();
        RenditionFile png = rendered.renditions().stream().filter(r -> r.format().equals("png")).findFirst().orElseThrow();
        BufferedImage decoded = ImageIO.read(png.file().toFile());
        assertThat(decoded.getColorModel().hasAlpha()).isTrue();
        assertThat(hasTransparentPixel(decoded)).isTrue();
    }

    @Test
    void exifOrientationIsAppliedAndNoMetadataSurvives(@TempDir Path dir) throws Exception {
        // 60x40, red on the left, blue on the right, taken with the camera turned: orientation 6
        BufferedImage image = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 30, 40);
        g.setColor(Color.BLUE);
        g.fillRect(30, 0, 30, 40);
        g.dispose();
        Path file = Files.write(dir.resolve("camera.jpg"), withExif(jpeg(image), 6));

        RenderedImage rendered = render().process(validated(file));
        assertThat(rendered.width()).isEqualTo(40);
        assertThat(rendered.height()).isEqualTo(60);
        RenditionFile jpeg = rendered.renditions().stream().filter(r -> r.format().equals("jpeg")).findFirst().orElseThrow();
        BufferedImage upright = ImageIO.read(jpeg.file().toFile());
        assertThat(new Color(upright.getRGB(20, 8)).getRed()).as("the left edge is now on top").isGreaterThan(200);
        assertThat(new Color(upright.getRGB(20, 52)).getBlue()).isGreaterThan(200);
        for (RenditionFile rendition : rendered.renditions()) {
            String bytes = new String(Files.readAllBytes(rendition.file()), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as(rendition.format()).doesNotContain("Exif").doesNotContain("GPS");
        }
    }

    @Test
    void exifOrientationCountsInTheEncodersLimits(@TempDir Path dir) throws Exception {
        // stored 16400 x 100, shown upright (orientation 6) as 100 x 16400: taller than WebP can hold
        BufferedImage sideways = new BufferedImage(16400, 100, BufferedImage.TYPE_INT_RGB);
        Path file = Files.write(dir.resolve("strip.jpg"), withExif(jpeg(sideways), 6));
        RenderedImage rendered = render().process(validated(file));
        assertThat(new int[] {rendered.width(), rendered.height()}).containsExactly(100, 16400);
        assertThat(rendered.renditions()).extracting(RenditionFile::format).containsExactly("jpeg");
        RenditionFile jpeg = rendered.renditions().getFirst();
        assertThat(new int[] {jpeg.width(), jpeg.height()}).containsExactly(100, 16400);
    }

    @Test
    void aPhotoWithGpsGetsRenditionsWithoutIt(@TempDir Path dir) throws Exception {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(100, 100, 600, 400);
        g.dispose();
        Path file = Files.write(dir.resolve("where-i-live.jpg"), withGps(jpeg(image)));
        var source = com.drew.imaging.ImageMetadataReader.readMetadata(file.toFile())
                .getFirstDirectoryOfType(com.drew.metadata.exif.GpsDirectory.class);
        assertThat(source).as("the upload carries a position").isNotNull();
        assertThat(source.getGeoLocation().getLatitude()).isCloseTo(48.8567, org.assertj.core.data.Offset.offset(0.001));

        RenderedImage rendered = render().process(validated(file));
        assertThat(rendered.renditions()).extracting(RenditionFile::format).contains("jpeg", "webp");
        for (RenditionFile rendition : rendered.renditions()) {
            var metadata = com.drew.imaging.ImageMetadataReader.readMetadata(rendition.file().toFile());
            assertThat(metadata.getFirstDirectoryOfType(com.drew.metadata.exif.GpsDirectory.class)).as(rendition.format()).isNull();
            assertThat(metadata.getFirstDirectoryOfType(com.drew.metadata.exif.ExifIFD0Directory.class)).as(rendition.format()).isNull();
        }
    }

    /** Inserts an EXIF APP1 segment whose GPS IFD says 48 deg 51' 24" N, 2 deg 21' 8" E (Paris) right after SOI. */
    static byte[] withGps(byte[] jpeg) {
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(128);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26).putInt(0); // IFD0: GPSInfo at 26
        tiff.putShort((short) 4); // the GPS IFD: 4 entries, its values from 80
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0}); // GPSLatitudeRef
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(80); // GPSLatitude, 3 rationals
        tiff.putShort((short) 3).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0}); // GPSLongitudeRef
        tiff.putShort((short) 4).putShort((short) 5).putInt(3).putInt(104); // GPSLongitude, 3 rationals
        tiff.putInt(0);
        tiff.putInt(48).putInt(1).putInt(51).putInt(1).putInt(2400).putInt(100);
        tiff.putInt(2).putInt(1).putInt(21).putInt(1).putInt(800).putInt(100);
        byte[] payload = new byte[6 + tiff.position()];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 6);
        System.arraycopy(tiff.array(), 0, payload, 6, tiff.position());
        byte[] out = new byte[jpeg.length + 4 + payload.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) ((payload.length + 2) >> 8);
        out[5] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, out, 6, payload.length);
        System.arraycopy(jpeg, 2, out, 6 + payload.length, jpeg.length - 2);
        return out;
    }

    @Test
    void nothingIsUpscaled(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small.jpg"), jpeg(new BufferedImage(500, 300, BufferedImage.TYPE_INT_RGB)));
        assertThat(render().process(validated(small)).renditions()).extracting(RenditionFile::width).containsOnly(320);
        Path tiny = Files.write(dir.resolve("tiny.jpg"), jpeg(new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB)));
        assertThat(render().process(validated(tiny)).renditions()).extracting(RenditionFile::width).containsOnly(200);
    }

    @Test
    void anAnimatedGifBecomesAStillOfItsFirstFrame() throws Exception {
        Path cradle = Files.list(TestServices.corpus().resolve("gif")).filter(p -> p.toString().contains("newtonscradle"))
                .findFirst().orElseThrow();
        RenderedImage rendered = render().process(validated(cradle));
        assertThat(rendered.image().frames()).isGreaterThan(1);
        BufferedImage first = ImageIO.read(cradle.toFile());
        assertThat(rendered.width()).isEqualTo(first.getWidth());
        assertThat(rendered.renditions()).isNotEmpty();
    }

    @Test
    void anImageWholeInStructureButUndecodableIsCorrupt(@TempDir Path dir) throws Exception {
        Path png = Files.write(dir.resolve("filter.png"), pngWithIllegalRowFilter());
        RejectedException e = catchThrowableOfType(RejectedException.class, () -> render().process(validated(png)));
        assertThat(e.reason()).isEqualTo("corrupt");
        try (Stream<Path> left = Files.exists(temp.resolve("work")) ? Files.list(temp.resolve("work")) : Stream.empty()) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void bytesToleratedAfterTheImageAreNotPublished(@TempDir Path dir) throws Exception {
        byte[] jpeg = jpeg(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB));
        byte[] padded = java.util.Arrays.copyOf(jpeg, jpeg.length + 1000);
        padded[jpeg.length + 10] = 0x4C; // camera leftovers: nothing recognisable
        Path file = Files.write(dir.resolve("camera.jpg"), padded);
        RenderedImage rendered = render().process(dev.mediapipeline.processors.TestItems.validated(file));
        assertThat(rendered.original().size()).isEqualTo(jpeg.length);
        assertThat(Files.readAllBytes(rendered.original().file())).isEqualTo(jpeg);
        assertThat(rendered.original().sha256()).isNotEqualTo(rendered.image().file().sha256());

        Path whole = Files.write(dir.resolve("whole.jpg"), jpeg);
        RenderedImage untouched = render().process(dev.mediapipeline.processors.TestItems.validated(whole));
        assertThat(untouched.original().file()).isEqualTo(whole);
    }

    @Test
    void greyImagesKeepTheirTones(@TempDir Path dir) throws Exception {
        BufferedImage grey = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(64, 64, 64));
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        int stored = grey.getRaster().getSample(10, 10, 0);
        for (String format : List.of("jpeg", "png")) {
            Path file = dir.resolve("grey." + format);
            ImageIO.write(grey, format, file.toFile());
            RenderedImage rendered = render().process(dev.mediapipeline.processors.TestItems.validated(file));
            RenditionFile out = rendered.renditions().stream().filter(r -> !r.format().equals("webp")).findFirst().orElseThrow();
            int red = new Color(ImageIO.read(out.file().toFile()).getRGB(100, 100)).getRed();
            assertThat(red).as(format + ": the stored sample " + stored + ", not brightened as if it were linear")
                    .isCloseTo(stored, org.assertj.core.data.Offset.offset(4));
        }
    }

    @Test
    void aPngsEmbeddedColourProfileIsConvertedToSrgb(@TempDir Path dir) throws Exception {
        // samples of 51 in a linear-RGB PNG mean 0.2 linear light, which sRGB writes as about 124
        BufferedImage flat = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(new Color(51, 51, 51));
        g.fillRect(0, 0, 400, 300);
        g.dispose();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        ImageIO.write(flat, "png", encoded);
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        ByteArrayOutputStream iccp = new ByteArrayOutputStream();
        iccp.writeBytes("linear".getBytes(StandardCharsets.ISO_8859_1));
        iccp.write(0);
        iccp.write(0);
        try (DeflaterOutputStream z = new DeflaterOutputStream(iccp, new Deflater())) {
            z.write(profile);
        }
        Path file = Files.write(dir.resolve("linear.png"), insertBeforeIdat(encoded.toByteArray(), "iCCP", iccp.toByteArray()));

        RenderedImage rendered = render().process(validated(file));
        RenditionFile jpeg = rendered.renditions().stream().filter(r -> !r.format().equals("webp")).findFirst().orElseThrow();
        int red = new Color(ImageIO.read(jpeg.file().toFile()).getRGB(100, 100)).getRed();
        assertThat(red).as("converted once from linear RGB to sRGB").isCloseTo(124, org.assertj.core.data.Offset.offset(4));
    }

    @Test
    void onlySrgbItselfCountsAsSrgb() {
        assertThat(ImageRenditionsProcessor.describesSrgb("sRGB IEC61966-2.1")).isTrue();
        assertThat(ImageRenditionsProcessor.describesSrgb("sRGB built-in")).isTrue();
        assertThat(ImageRenditionsProcessor.describesSrgb("linear sRGB")).isFalse();
        assertThat(ImageRenditionsProcessor.describesSrgb("Display P3")).isFalse();
        assertThat(ImageRenditionsProcessor.describesSrgb(null)).isFalse();
    }

    /** Rewrites a PNG with one more chunk placed just before its first IDAT. */
    static byte[] insertBeforeIdat(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        int at = 8;
        boolean inserted = false;
        while (at < png.length) {
            int length = ((png[at] & 0xFF) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
            String chunk = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (chunk.equals("IDAT") && !inserted) {
                writeChunk(out, type, data);
                inserted = true;
            }
            out.write(png, at, 12 + length);
            at += 12 + length;
        }
        return out.toByteArray();
    }

    @Test
    void theProfileHashNamesTheProfile() {
        RenditionProfile other = new RenditionProfile(List.of(320, 640), RenditionProfile.Fit.CONTAIN, 1.0, 80, 80, 4);
        assertThat(RenditionProfile.defaults().hash()).isEqualTo(RenditionProfile.defaults().hash()).isNotEqualTo(other.hash());
    }

    // --- helpers

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** Inserts an EXIF APP1 segment holding only an orientation tag right after SOI. */
    static byte[] withExif(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
                0, 1, // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1
                0, 0, 0, 0}; // no next IFD
        byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exifHeader.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exifHeader);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A 16x16 grey PNG, every chunk and CRC right, its zlib data complete, but row 0's filter type is 9. */
    static byte[] pngWithIllegalRowFilter() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        ImageIO.write(image, "png", encoded);
        byte[] png = encoded.toByteArray();
        int at = 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        while (at < png.length) {
            int length = ((png[at] & 0xFF) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            byte[] data = java.util.Arrays.copyOfRange(png, at + 8, at + 8 + length);
            if (type.equals("IDAT")) {
                byte[] raw = new InflaterInputStream(new java.io.ByteArrayInputStream(data)).readAllBytes();
                raw[0] = 9;
                ByteArrayOutputStream deflated = new ByteArrayOutputStream();
                try (DeflaterOutputStream z = new DeflaterOutputStream(deflated, new Deflater())) {
                    z.write(raw);
                }
                data = deflated.toByteArray();
            }
            writeChunk(out, type, data);
            at += 12 + length;
        }
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        for (long v : new long[] {data.length}) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
        }
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
    }

    private static int[] headerSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean hasTransparentPixel(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) >>> 24) < 0xFF) {
                    return true;
                }
            }
        }
        return false;
    }
}
