package dev.mediapipeline.processors.render;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.icc.IccDirectory;
import com.luciad.imageio.webp.WebPWriteParam;
import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.ImageFormat;
import dev.mediapipeline.core.media.PublishedOriginal;
import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.media.ValidatedImage;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.storage.Sha256;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Makes an image's renditions from one decode: the first frame (an animation's still; a JPEG
 * through libjpeg-turbo at the smallest DCT scale that covers the largest rendition), turned
 * upright by its EXIF orientation, converted to sRGB, then each profile width derived from the
 * next larger one (Thumbnailator), never wider than the source. Opaque images get JPEG and WebP;
 * images with transparency get PNG and WebP (no WebP for a rendition over 16,383 pixels a side,
 * which WebP cannot hold). The encoders write pixels only: EXIF (GPS, camera
 * serials), XMP, IPTC and comments of the original never reach a rendition.
 *
 * <p>An image the decoder cannot read is rejected as corrupt.
 */
public class ImageRenditionsProcessor implements ItemProcessor<ValidatedImage, RenderedImage> {

    private static final String TOOLS = tools();

    /**
     * WebP holds at most 16,383 pixels a side (libwebp refuses more). A rendition taller than that (a
     * long screenshot or comic strip at 1280 wide) is made as JPEG or PNG only; JPEG's own limit,
     * 65,500, is the validator's limit on the source's sides, which no rendition exceeds.
     */
    static final int WEBP_MAX_SIDE = 16383;

    private final RenditionProfile profile;
    private final Path tempDirectory;
    private final EncodeTimes encodeTimes;

    /** Told how long each rendition's encoding took, by format (the pipeline's metrics). */
    @FunctionalInterface
    public interface EncodeTimes {
        void encoded(String format, java.time.Duration took);
    }

    public ImageRenditionsProcessor(RenditionProfile profile, Path tempDirectory) {
        this(profile, tempDirectory, (format, took) -> {
        });
    }

    public ImageRenditionsProcessor(RenditionProfile profile, Path tempDirectory, EncodeTimes encodeTimes) {
        this.profile = profile;
        this.tempDirectory = tempDirectory;
        this.encodeTimes = encodeTimes;
    }

    @Override
    public RenderedImage process(ValidatedImage image) throws IOException {
        Facts facts = facts(image);
        boolean swap = facts.orientation() >= 5;
        int uprightWidth = swap ? image.height() : image.width();
        int uprightHeight = swap ? image.width() : image.height();
        List<Integer> widths = targetWidths(uprightWidth);
        int minWidth = swap ? 0 : widths.getFirst();
        int minHeight = swap ? widths.getFirst() : 0;
        // libjpeg-turbo decodes at a DCT scale; what it declines (CMYK, YCCK) ImageIO decodes at full size
        long[] decodedSize = turboDecodes(image, facts) && TurboJpeg.INSTANCE.get().accepts(image.file().file())
                ? TurboJpeg.INSTANCE.get().decodedSize(image.width(), image.height(), minWidth, minHeight)
                : new long[] {image.width(), image.height()};
        // a PNG may be 16 bits a channel: 8 bytes a pixel as decoded, before it is made 8-bit
        int bytesPerPixel = image.format() == ImageFormat.PNG ? 8 : 4;
        try (DecodeMemory.Reservation memory = DecodeMemory.PROCESS.reserve(
                DecodeMemory.estimate(decodedSize[0], decodedSize[1], bytesPerPixel),
                image.width() + "x" + image.height() + " at " + decodedSize[0] + "x" + decodedSize[1])) {
            return render(image, facts, swap, uprightWidth, uprightHeight, widths, minWidth, minHeight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for memory to decode");
        }
    }

    private RenderedImage render(ValidatedImage image, Facts facts, boolean swap, int uprightWidth, int uprightHeight, List<Integer> widths,
            int minWidth, int minHeight) throws IOException {
        BufferedImage decoded = decodeFirstFrame(image, facts, minWidth, minHeight);
        BufferedImage upright = orient(toSrgb(decoded), facts.orientation());
        boolean alpha = hasTransparency(upright);
        BufferedImage source = normalise(upright, alpha);
        if (image.format() == ImageFormat.PNG) {
            applyEmbeddedProfile(source, image.file().file());
        }
        boolean cover = profile.fit() == RenditionProfile.Fit.COVER;
        if (cover) {
            source = cropToAspect(source, profile.coverAspect());
        }
        // heights from the full-size picture, whatever size it was decoded at
        double aspect = cover ? (double) source.getHeight() / source.getWidth() : (double) uprightHeight / uprightWidth;
        Path workspace = Workspace.of(tempDirectory, image.file().upload().uploadId());
        List<RenditionFile> renditions = new ArrayList<>();
        try {
            BufferedImage current = source;
            for (int width : widths) {
                int height = Math.max(1, (int) Math.round(aspect * width));
                if (width != current.getWidth() || height != current.getHeight()) {
                    current = Thumbnails.of(current).size(width, height).keepAspectRatio(false)
                            .imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)
                            .asBufferedImage();
                }
                long start = System.nanoTime();
                RenditionFile main = alpha ? encodePng(current, workspace) : encodeJpeg(current, workspace);
                long encoded = System.nanoTime();
                java.time.Duration took = java.time.Duration.ofNanos(encoded - start);
                renditions.add(main.encodedIn(took));
                encodeTimes.encoded(alpha ? "png" : "jpeg", took);
                if (current.getWidth() <= WEBP_MAX_SIDE && current.getHeight() <= WEBP_MAX_SIDE) {
                    RenditionFile webp = encodeWebp(current, workspace);
                    took = java.time.Duration.ofNanos(System.nanoTime() - encoded);
                    renditions.add(webp.encodedIn(took));
                    encodeTimes.encoded("webp", took);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (RenditionFile made : renditions) {
                Files.deleteIfExists(made.file());
            }
            throw e;
        }
        return new RenderedImage(image, publishedOriginal(image, workspace), uprightWidth, uprightHeight, alpha,
                List.copyOf(renditions), profile.hash(), TOOLS);
    }

    /** The profile's widths not wider than the source, largest first; the source's own width if all are. */
    List<Integer> targetWidths(int sourceWidth) {
        List<Integer> widths = profile.widths().stream().filter(w -> w <= sourceWidth).distinct()
                .sorted(Comparator.reverseOrder()).toList();
        return widths.isEmpty() ? List.of(sourceWidth) : widths;
    }

    /**
     * The first frame. A plain JPEG goes to libjpeg-turbo, decoded at the smallest DCT scale that
     * still covers the largest rendition ({@code minWidth} x {@code minHeight} before orientation);
     * everything else, and JPEGs with a colour profile that is not sRGB, to ImageIO at full size.
     */
    private boolean turboDecodes(ValidatedImage image, Facts facts) {
        return image.format() == ImageFormat.JPEG && !facts.foreignColourProfile() && profile.fit() == RenditionProfile.Fit.CONTAIN
                && TurboJpeg.INSTANCE.isPresent();
    }

    private BufferedImage decodeFirstFrame(ValidatedImage image, Facts facts, int minWidth, int minHeight) throws IOException {
        if (turboDecodes(image, facts)) {
            Optional<BufferedImage> decoded = TurboJpeg.INSTANCE.get().decode(image.file().file(), minWidth, minHeight);
            if (decoded.isPresent()) {
                return decoded.get();
            }
        }
        return decodeWithImageIo(image);
    }

    /** The upload itself, or only the image's own bytes when tolerated bytes followed its end. */
    private static PublishedOriginal publishedOriginal(ValidatedImage image, Path workspace) throws IOException {
        var file = image.file();
        String mimeType = image.format().mimeType();
        if (image.imageEnd() >= file.size()) {
            return new PublishedOriginal(file.file(), file.size(), file.sha256(), mimeType);
        }
        Path trimmed = workspace.resolve("original-image");
        try (InputStream in = Files.newInputStream(file.file()); OutputStream out = Files.newOutputStream(trimmed)) {
            long left = image.imageEnd();
            byte[] buffer = new byte[64 * 1024];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the file is shorter than its validated image end");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return new PublishedOriginal(trimmed, image.imageEnd(), Sha256.ofFile(trimmed), mimeType);
    }

    private static BufferedImage decodeWithImageIo(ValidatedImage image) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(image.format().mimeType());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no decoder for " + image.format() + " on the classpath");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(image.file().file().toFile())) {
            // JPEG keeps its metadata: the decoder needs the ICC profile and Adobe segments for colour
            reader.setInput(in, true, image.format() != ImageFormat.JPEG);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("corrupt", "the " + image.format() + " image cannot be decoded: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * What the image's metadata says that matters here: its EXIF orientation (1-8; 1 when absent
     * or unreadable) and whether it carries an ICC colour profile other than sRGB.
     */
    record Facts(int orientation, boolean foreignColourProfile) {
    }

    private static Facts facts(ValidatedImage image) {
        if (image.format() == ImageFormat.GIF) {
            return new Facts(1, false);
        }
        int orientation = 1;
        boolean foreignProfile = false;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(image.file().file().toFile());
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int value = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                orientation = value >= 1 && value <= 8 ? value : 1;
            }
            IccDirectory icc = metadata.getFirstDirectoryOfType(IccDirectory.class);
            if (icc != null) {
                String description = icc.getString(IccDirectory.TAG_TAG_desc);
                foreignProfile = !describesSrgb(description);
            }
        } catch (Exception unreadable) {
            // metadata that cannot be read is metadata we do not use
        }
        return new Facts(orientation, foreignProfile);
    }

    /** Applies an EXIF orientation: the picture as the camera's user saw it. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation == 1) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> throw new IllegalArgumentException("orientation " + orientation);
        };
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h,
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setComposite(AlphaComposite.Src);
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    private static BufferedImage toSrgb(BufferedImage image) {
        if (image.getColorModel().getColorSpace().isCS_sRGB()) {
            return image;
        }
        if (image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && !image.getColorModel().hasAlpha()) {
            return grayAsSrgb(image);
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(),
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(image, out);
        return out;
    }

    /**
     * Converts in place, from the profile a PNG embeds to sRGB: the decoder handed over the file's
     * samples as they are, which are values in that profile's space. Alpha is left alone.
     */
    private static void applyEmbeddedProfile(BufferedImage image, Path png) throws IOException {
        Optional<java.awt.color.ICC_Profile> profile = PngColourProfile.read(png);
        if (profile.isEmpty() || profile.get().getColorSpaceType() != java.awt.color.ColorSpace.TYPE_RGB
                || isSrgb(profile.get())) {
            return;
        }
        java.awt.color.ICC_Profile srgb = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB);
        WritableRaster rgb = image.getRaster().createWritableChild(0, 0, image.getWidth(), image.getHeight(), 0, 0,
                new int[] {0, 1, 2});
        WritableRaster converted = rgb.createCompatibleWritableRaster();
        new ColorConvertOp(new java.awt.color.ICC_Profile[] {profile.get(), srgb}, null).filter(rgb, converted);
        rgb.setRect(converted);
    }

    private static boolean isSrgb(java.awt.color.ICC_Profile profile) {
        return describesSrgb(description(profile.getData(java.awt.color.ICC_Profile.icSigProfileDescriptionTag)));
    }

    /**
     * Whether a profile description names sRGB itself ("sRGB IEC61966-2.1", "sRGB built-in"), not
     * a relative of it ("linear sRGB"). Treating sRGB as foreign only costs a conversion; the
     * other way round would skip one that is needed.
     */
    static boolean describesSrgb(String description) {
        return description != null && description.strip().startsWith("sRGB");
    }

    /** The text of an ICC description tag: v2 'desc' (ASCII) or v4 'mluc' (first record, UTF-16BE). */
    private static String description(byte[] tag) {
        if (tag == null || tag.length < 12) {
            return null;
        }
        String type = new String(tag, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(tag);
        if (type.equals("desc")) {
            int count = buffer.getInt(8);
            int length = Math.max(0, Math.min(count, tag.length - 12));
            return new String(tag, 12, length, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\0", "");
        }
        if (type.equals("mluc") && tag.length >= 28) {
            int length = buffer.getInt(20);
            int offset = buffer.getInt(24);
            if (offset >= 0 && length >= 0 && offset + length <= tag.length) {
                return new String(tag, offset, length, java.nio.charset.StandardCharsets.UTF_16BE);
            }
        }
        return null;
    }

    /**
     * Grey JPEG and PNG samples are gamma-encoded like sRGB, but Java2D files them under a linear
     * grey colour space and would brighten them on any conversion: copy each sample to R, G and B as is.
     */
    static BufferedImage grayAsSrgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int bits = image.getColorModel().getComponentSize(0);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] samples = new int[w];
        int[] rgb = ((java.awt.image.DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            image.getRaster().getSamples(0, y, w, 1, 0, samples);
            for (int x = 0; x < w; x++) {
                int v = bits > 8 ? samples[x] >>> (bits - 8) : samples[x] * 255 / ((1 << bits) - 1);
                rgb[y * w + x] = (v << 16) | (v << 8) | v;
            }
        }
        return out;
    }

    private static boolean hasTransparency(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth());
            for (int argb : row) {
                if ((argb >>> 24) != 0xFF) {
                    return true;
                }
            }
        }
        return false;
    }

    /** INT_RGB or INT_ARGB: what the resizer and encoders handle fastest and alike. */
    private static BufferedImage normalise(BufferedImage image, boolean alpha) {
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (image.getType() == type) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = out.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage cropToAspect(BufferedImage image, double aspect) {
        int w = image.getWidth();
        int h = image.getHeight();
        if ((double) w / h > aspect) {
            int cw = Math.max(1, (int) Math.round(h * aspect));
            return image.getSubimage((w - cw) / 2, 0, cw, h);
        }
        int ch = Math.max(1, (int) Math.round(w / aspect));
        return image.getSubimage(0, (h - ch) / 2, w, ch);
    }

    private RenditionFile encodeJpeg(BufferedImage image, Path workspace) throws IOException {
        if (TurboJpeg.INSTANCE.isPresent() && image.getType() == BufferedImage.TYPE_INT_RGB) {
            Path file = workspace.resolve(image.getWidth() + ".jpeg");
            TurboJpeg.INSTANCE.get().encode(image, profile.jpegQuality(), file);
            return new RenditionFile(image.getWidth(), image.getHeight(), "jpeg", "image/jpeg", file, Files.size(file), Sha256.ofFile(file));
        }
        ImageWriter writer = jdkWriter("jpeg");
        JPEGImageWriteParam param = new JPEGImageWriteParam(null);
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(profile.jpegQuality() / 100f);
        param.setOptimizeHuffmanTables(true);
        return write(image, writer, param, "jpeg", "image/jpeg", workspace);
    }

    private RenditionFile encodeWebp(BufferedImage image, Path workspace) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByMIMEType("image/webp").next();
        WebPWriteParam param = (WebPWriteParam) writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(param.getCompressionTypes()[WebPWriteParam.LOSSY_COMPRESSION]);
        param.setCompressionQuality(profile.webpQuality() / 100f);
        param.setMethod(profile.webpMethod());
        return write(image, writer, param, "webp", "image/webp", workspace);
    }

    private RenditionFile encodePng(BufferedImage image, Path workspace) throws IOException {
        return write(image, jdkWriter("png"), null, "png", "image/png", workspace);
    }

    private RenditionFile write(BufferedImage image, ImageWriter writer, ImageWriteParam param, String format, String mimeType,
            Path workspace) throws IOException {
        Path file = workspace.resolve(image.getWidth() + "." + format);
        // straight into the file: ImageIO's default for an OutputStream is a temp-file cache that a JVM
        // shutdown hook closes under a running write (SIGTERM then failed the item in flight)
        Files.deleteIfExists(file);
        try (ImageOutputStream out = new javax.imageio.stream.FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return new RenditionFile(image.getWidth(), image.getHeight(), format, mimeType, file, Files.size(file), Sha256.ofFile(file));
    }

    /** The JDK's own writer (TwelveMonkeys also registers a JPEG writer that wraps it). */
    private static ImageWriter jdkWriter(String format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter any = null;
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
            any = any == null ? writer : any;
        }
        if (any == null) {
            throw new IllegalStateException("no " + format + " writer");
        }
        return any;
    }

    private static String tools() {
        Properties versions = new Properties();
        try (InputStream in = ImageRenditionsProcessor.class.getResourceAsStream("tools.properties")) {
            versions.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("tools.properties is missing from the processors jar", e);
        }
        return "thumbnailator " + versions.getProperty("thumbnailator") + ", webp-imageio " + versions.getProperty("webp-imageio")
                + ", twelvemonkeys-imageio " + versions.getProperty("twelvemonkeys-imageio")
                + ", java " + Runtime.version().feature();
    }
}
