package dev.mediapipeline.processors.render;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.mediapipeline.core.error.RejectedException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding and encoding with libjpeg-turbo (Debian's {@code libturbojpeg0}) through the Java
 * FFM API: SIMD codecs, and decoding with scaling in the DCT domain (1/8 to 1 in eighths) so that a
 * large photo whose renditions are all much narrower is decoded straight at a smaller size, as
 * libvips does. Encoding optimises the Huffman tables (as libvips does by default), which
 * TurboJPEG 2.1 takes from the {@code TJ_OPTIMIZE} environment variable of this process.
 * Only YCbCr, RGB and greyscale JPEGs are decoded here; the caller falls back to ImageIO for the
 * rest (CMYK, YCCK) and whenever the library is not installed.
 */
final class TurboJpeg {

    private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);
    private static final int TJPF_BGRX = 3;
    private static final int TJSAMP_420 = 2;
    private static final int TJERR_FATAL = 1;
    private static final int TJCS_RGB = 0;
    private static final int TJCS_YCBCR = 1;
    private static final int TJCS_GRAY = 2;

    /** Present when libturbojpeg could be loaded. */
    static final Optional<TurboJpeg> INSTANCE = load();

    private final MethodHandle initDecompress;
    private final MethodHandle decompressHeader3;
    private final MethodHandle decompress2;
    private final MethodHandle destroy;
    private final MethodHandle errorString;
    private final MethodHandle errorCode;
    private final MethodHandle initCompress;
    private final MethodHandle compress2;
    private final MethodHandle free;
    /** num/denom pairs, smallest first */
    private final List<int[]> scalingFactors;

    private TurboJpeg(SymbolLookup library) throws Throwable {
        Linker linker = Linker.nativeLinker();
        initDecompress = linker.downcallHandle(find(library, "tjInitDecompress"), FunctionDescriptor.of(ADDRESS));
        decompressHeader3 = linker.downcallHandle(find(library, "tjDecompressHeader3"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        decompress2 = linker.downcallHandle(find(library, "tjDecompress2"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        destroy = linker.downcallHandle(find(library, "tjDestroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorString = linker.downcallHandle(find(library, "tjGetErrorStr2"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        errorCode = linker.downcallHandle(find(library, "tjGetErrorCode"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        initCompress = linker.downcallHandle(find(library, "tjInitCompress"), FunctionDescriptor.of(ADDRESS));
        compress2 = linker.downcallHandle(find(library, "tjCompress2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        free = linker.downcallHandle(find(library, "tjFree"), FunctionDescriptor.ofVoid(ADDRESS));
        // TurboJPEG 2.1 turns Huffman optimisation on from the environment, read at each compression
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) setenv.invokeExact(arena.allocateFrom("TJ_OPTIMIZE"), arena.allocateFrom("1"), 1);
        }
        MethodHandle getScalingFactors = linker.downcallHandle(find(library, "tjGetScalingFactors"),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        List<int[]> factors = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment array = ((MemorySegment) getScalingFactors.invokeExact(count));
            int n = count.get(JAVA_INT, 0);
            MemorySegment factorsSegment = array.reinterpret(8L * n);
            for (int i = 0; i < n; i++) {
                int num = factorsSegment.get(JAVA_INT, 8L * i);
                int denom = factorsSegment.get(JAVA_INT, 8L * i + 4);
                if (num <= denom) { // never scale up
                    factors.add(new int[] {num, denom});
                }
            }
        }
        factors.sort(Comparator.comparingDouble(f -> (double) f[0] / f[1]));
        scalingFactors = List.copyOf(factors);
    }

    private static Optional<TurboJpeg> load() {
        for (String name : List.of("libturbojpeg.so.0", "libturbojpeg.so")) {
            try {
                return Optional.of(new TurboJpeg(SymbolLookup.libraryLookup(name, Arena.global())));
            } catch (Throwable unavailable) {
                // try the next name
            }
        }
        log.warn("libturbojpeg is not installed (Debian: libturbojpeg0): JPEGs are decoded by ImageIO, without SIMD or scaling");
        return Optional.empty();
    }

    private static MemorySegment find(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException("libturbojpeg has no " + name));
    }

    /**
     * Decodes a JPEG at the smallest scale whose width is at least {@code minWidth} and whose height
     * is at least {@code minHeight} (0 leaves that side free; both 0 decode at full size). Empty when
     * libjpeg-turbo cannot take this JPEG (its colour space or subsampling): ImageIO decodes it then.
     */
    Optional<BufferedImage> decode(Path file, int minWidth, int minHeight) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment jpeg = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            MemorySegment handle = (MemorySegment) initDecompress.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitDecompress failed");
            }
            try {
                int[] header = header(handle, jpeg, arena, file);
                if (header == null) {
                    return Optional.empty();
                }
                int width = header[0];
                int height = header[1];
                int[] factor = factor(width, height, minWidth, minHeight);
                int w = scaled(width, factor);
                int h = scaled(height, factor);
                MemorySegment pixels = arena.allocate((long) w * h * 4, 8);
                int result = (int) decompress2.invokeExact(handle, jpeg, jpeg.byteSize(), pixels, w, 0, h, TJPF_BGRX, 0);
                if (result != 0 && (int) errorCode.invokeExact(handle) == TJERR_FATAL) {
                    throw new RejectedException("corrupt", "the JPEG image cannot be decoded: " + error(handle));
                }
                // BGRX bytes in little-endian memory are the ints of TYPE_INT_RGB (the X byte is ignored)
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                int[] raster = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                MemorySegment.copy(pixels, ValueLayout.JAVA_INT_UNALIGNED, 0, raster, 0, w * h);
                return Optional.of(image);
            } finally {
                int ignored = (int) destroy.invokeExact(handle);
            }
        } catch (RejectedException | IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libturbojpeg call failed", e);
        }
    }

    /**
     * Encodes an RGB image as a baseline JPEG, 4:2:0, at {@code quality} (1-100, libjpeg's scale),
     * with optimised Huffman tables and no metadata but the JFIF header.
     */
    void encode(BufferedImage image, int quality, Path file) throws IOException {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("TYPE_INT_RGB expected, not " + image.getType());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = contiguousPixels(image);
        try (Arena arena = Arena.ofConfined(); FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            MemorySegment source = arena.allocate(JAVA_INT, (long) w * h);
            MemorySegment.copy(pixels, 0, source, ValueLayout.JAVA_INT_UNALIGNED, 0, w * h);
            MemorySegment jpegPointer = arena.allocate(ADDRESS);
            jpegPointer.set(ADDRESS, 0, MemorySegment.NULL);
            MemorySegment jpegSize = arena.allocate(JAVA_LONG);
            MemorySegment handle = (MemorySegment) initCompress.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitCompress failed");
            }
            MemorySegment jpeg = MemorySegment.NULL;
            try {
                int result = (int) compress2.invokeExact(handle, source, w, 0, h, TJPF_BGRX, jpegPointer, jpegSize, TJSAMP_420,
                        quality, 0);
                jpeg = jpegPointer.get(ADDRESS, 0);
                if (result != 0) {
                    throw new IOException("libjpeg-turbo could not encode: " + error(handle));
                }
                out.write(jpeg.reinterpret(jpegSize.get(JAVA_LONG, 0)).asByteBuffer());
            } finally {
                if (!jpeg.equals(MemorySegment.NULL)) {
                    free.invokeExact(jpeg);
                }
                int ignored = (int) destroy.invokeExact(handle);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libturbojpeg call failed", e);
        }
    }

    /** The pixels as one w x h block: an image's own array when it is one, else a copy (sub-images). */
    private static int[] contiguousPixels(BufferedImage image) {
        var raster = image.getRaster();
        if (raster.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel model
                && model.getScanlineStride() == image.getWidth() && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0 && raster.getDataBuffer().getOffset() == 0
                && ((DataBufferInt) raster.getDataBuffer()).getData().length == image.getWidth() * image.getHeight()) {
            return ((DataBufferInt) raster.getDataBuffer()).getData();
        }
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /**
     * Whether {@link #decode} would decode this JPEG (its header read, its colour space one it takes):
     * when not, ImageIO decodes it at full size, and the memory estimate must say so.
     */
    boolean accepts(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment jpeg = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            MemorySegment handle = (MemorySegment) initDecompress.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitDecompress failed");
            }
            try {
                return header(handle, jpeg, arena, file) != null;
            } finally {
                int ignored = (int) destroy.invokeExact(handle);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libturbojpeg call failed", e);
        }
    }

    /** Width and height from the JPEG's header, or null when libjpeg-turbo declines it (its header, or a colour space it does not take). */
    private int[] header(MemorySegment handle, MemorySegment jpeg, Arena arena, Path file) throws Throwable {
        MemorySegment dims = arena.allocate(JAVA_INT, 4);
        int header = (int) decompressHeader3.invokeExact(handle, jpeg, jpeg.byteSize(), dims, dims.asSlice(4), dims.asSlice(8),
                dims.asSlice(12));
        if (header != 0) {
            log.debug("libjpeg-turbo declines {}: {}", file, error(handle));
            return null;
        }
        int colourSpace = dims.get(JAVA_INT, 12);
        if (colourSpace != TJCS_YCBCR && colourSpace != TJCS_GRAY && colourSpace != TJCS_RGB) {
            return null;
        }
        return new int[] {dims.get(JAVA_INT, 0), dims.get(JAVA_INT, 4)};
    }

    /** The scale {@link #decode} takes: the smallest covering {@code minWidth} x {@code minHeight}. */
    private int[] factor(int width, int height, int minWidth, int minHeight) {
        return minWidth <= 0 && minHeight <= 0 ? new int[] {1, 1} : scalingFactors.stream()
                .filter(f -> scaled(width, f) >= minWidth && scaled(height, f) >= minHeight)
                .findFirst().orElse(new int[] {1, 1});
    }

    /** The size {@link #decode} would decode a {@code width} x {@code height} JPEG at, for the memory estimate. */
    long[] decodedSize(int width, int height, int minWidth, int minHeight) {
        int[] factor = factor(width, height, minWidth, minHeight);
        return new long[] {scaled(width, factor), scaled(height, factor)};
    }

    private static int scaled(int dimension, int[] factor) {
        return (dimension * factor[0] + factor[1] - 1) / factor[1];
    }

    private String error(MemorySegment handle) throws Throwable {
        MemorySegment message = (MemorySegment) errorString.invokeExact(handle);
        return message.equals(MemorySegment.NULL) ? "unknown error" : message.reinterpret(1024).getString(0);
    }
}
