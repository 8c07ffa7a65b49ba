package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.ImageFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG: the signature, then chunks (length, type, data, CRC-32 over type and data) from IHDR to
 * IEND. Every CRC is checked; IHDR's colour type and bit depth must be a legal pair; a palette
 * image needs PLTE; there must be image data, and the zlib stream of IDAT must inflate to exactly
 * the scanline bytes the header implies (decoders such as the JDK's fill a short stream with zeros
 * instead of failing). An APNG's acTL gives its frame count, read unsigned.
 *
 * <p>Nothing is inflated past a budget: the pixel budget is checked at IHDR, before any image data
 * is inflated, and the compressed metadata chunks (zTXt, compressed iTXt, iCCP) are inflated as they
 * stream past into a fixed buffer, counting, and refused past {@link #MAX_TEXT_INFLATED} (text) or
 * {@link #MAX_PROFILE_INFLATED} (a colour profile): later readers of the metadata (the render step's
 * metadata-extractor) inflate them whole.
 */
final class PngInspector {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final long MAX_CHUNK = 0x7FFFFFFFL;
    static final long MAX_TEXT_INFLATED = 1024 * 1024;
    static final long MAX_PROFILE_INFLATED = 4 * 1024 * 1024;

    private PngInspector() {
    }

    /** @param maxPixels the pixel budget, checked at IHDR; @param maxSide the longest side an image may have */
    static ImageStructure inspect(ByteCursor in, long maxPixels, int maxSide) throws IOException {
        for (byte b : SIGNATURE) {
            if (in.u8() != (b & 0xFF)) {
                throw in.corrupt("not a PNG signature");
            }
        }
        int width = 0;
        int height = 0;
        int colourType = -1;
        int frames = 1;
        boolean palette = false;
        boolean imageData = false;
        boolean first = true;
        ScanlineCounter scanlines = null;
        while (true) {
            long length = in.u32be();
            if (length > MAX_CHUNK) {
                throw in.corrupt("PNG chunk length " + length);
            }
            byte[] typeBytes = in.bytes(4);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw in.corrupt("PNG chunk type is not four letters");
            }
            if (first && !type.equals("IHDR")) {
                throw in.corrupt("PNG does not start with IHDR");
            }
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            byte[] data = length <= 64 && !type.equals("IDAT") ? in.bytes((int) length) : null;
            if (data != null) {
                crc.update(data);
            } else if (type.equals("IDAT") && scanlines != null) {
                ScanlineCounter counter = scanlines;
                in.read(length, (bytes, offset, n) -> {
                    crc.update(bytes, offset, n);
                    counter.feed(bytes, offset, n);
                });
            } else if (MetadataInflation.compressed(type)) {
                MetadataInflation metadata = new MetadataInflation(type);
                in.read(length, (bytes, offset, n) -> {
                    crc.update(bytes, offset, n);
                    metadata.feed(bytes, offset, n);
                });
                metadata.finish();
            } else {
                in.read(length, crc::update);
            }
            if (in.u32be() != crc.getValue()) {
                throw in.corrupt("PNG " + type + " chunk fails its CRC");
            }
            switch (type) {
                case "IHDR" -> {
                    if (!first || data == null || data.length != 13) {
                        throw in.corrupt("PNG IHDR is misplaced or not 13 bytes");
                    }
                    width = int32(data, 0);
                    height = int32(data, 4);
                    int depth = data[8] & 0xFF;
                    colourType = data[9] & 0xFF;
                    if (width <= 0 || height <= 0) {
                        throw in.corrupt("PNG of " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height));
                    }
                    // budgets before a single byte of image data is inflated
                    if ((long) width * height > maxPixels) {
                        throw new RejectedException("too-many-pixels", width + "x" + height + " is " + (long) width * height
                                + " pixels, over the limit of " + maxPixels);
                    }
                    if (width > maxSide || height > maxSide) {
                        throw new RejectedException("too-large-dimension", width + "x" + height + " has a side over " + maxSide
                                + " pixels, more than a rendition can be encoded with");
                    }
                    if (!legal(colourType, depth) || data[10] != 0 || data[11] != 0 || (data[12] & 0xFF) > 1) {
                        throw in.corrupt("PNG IHDR with colour type " + colourType + ", bit depth " + depth
                                + ", compression " + data[10] + ", filter " + data[11] + ", interlace " + data[12]);
                    }
                    scanlines = new ScanlineCounter(expectedBytes(width, height, channels(colourType) * depth, data[12] == 1));
                }
                case "PLTE" -> palette = true;
                case "IDAT" -> imageData = true;
                case "acTL" -> {
                    if (data == null || data.length != 8) {
                        throw in.corrupt("APNG acTL is not 8 bytes");
                    }
                    long declared = Integer.toUnsignedLong(int32(data, 0)); // unsigned: 2^31 is a count, not a negative
                    frames = (int) Math.clamp(declared, 1, Integer.MAX_VALUE);
                }
                case "IEND" -> {
                    if (!imageData) {
                        throw in.corrupt("PNG without image data");
                    }
                    if (colourType == 3 && !palette) {
                        throw in.corrupt("palette PNG without PLTE");
                    }
                    scanlines.finish(in);
                    return new ImageStructure(ImageFormat.PNG, width, height, frames, in.position());
                }
                default -> {
                    // ancillary chunks: checked by CRC, otherwise ignored
                }
            }
            first = false;
        }
    }

    private static int channels(int colourType) {
        return switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
    }

    /** Filtered scanline bytes (one filter byte per row) of the whole image, Adam7 passes included. */
    static long expectedBytes(long width, long height, int bitsPerPixel, boolean interlaced) {
        if (!interlaced) {
            return height * (1 + (width * bitsPerPixel + 7) / 8);
        }
        int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        long total = 0;
        for (int[] p : passes) {
            long w = width > p[0] ? (width - p[0] + p[2] - 1) / p[2] : 0;
            long h = height > p[1] ? (height - p[1] + p[3] - 1) / p[3] : 0;
            if (w > 0 && h > 0) {
                total += h * (1 + (w * bitsPerPixel + 7) / 8);
            }
        }
        return total;
    }

    /** Inflates IDAT as it streams past, counting output bytes; nothing is kept. */
    private static final class ScanlineCounter {
        private final long expected;
        private final Inflater inflater = new Inflater();
        private final byte[] sink = new byte[64 * 1024];
        private long produced;
        private String failure;

        ScanlineCounter(long expected) {
            this.expected = expected;
        }

        void feed(byte[] bytes, int offset, int length) {
            if (failure != null || inflater.finished()) {
                return; // data after the zlib stream's end is checked at finish
            }
            inflater.setInput(bytes, offset, length);
            try {
                while (!inflater.needsInput() && !inflater.finished()) {
                    produced += inflater.inflate(sink);
                    if (produced > expected) {
                        failure = "PNG image data inflates past the " + expected + " bytes its size implies";
                        return;
                    }
                    if (inflater.needsDictionary()) {
                        failure = "PNG image data asks for a preset dictionary";
                        return;
                    }
                }
            } catch (DataFormatException e) {
                failure = "PNG image data is not a valid zlib stream: " + e.getMessage();
            }
        }

        void finish(ByteCursor in) {
            try {
                if (failure != null) {
                    throw in.corrupt(failure);
                }
                if (!inflater.finished() || produced != expected) {
                    throw in.corrupt("PNG image data ends early: " + produced + " of " + expected + " bytes");
                }
            } finally {
                inflater.end();
            }
        }
    }

    /**
     * A compressed metadata chunk's inflated size, counted as its bytes stream past, never kept:
     * zTXt and iCCP are a name, NUL, the method, then zlib; iTXt is a keyword, NUL, a compression
     * flag, the method, a language tag, NUL, a translated keyword, NUL, then zlib when the flag is 1.
     */
    private static final class MetadataInflation {
        private static final int MAX_HEADER = 1024;
        private final String type;
        private final long budget;
        private final byte[] header = new byte[MAX_HEADER];
        private int headerLength;
        private boolean inData;
        private boolean compressed;
        private final Inflater inflater = new Inflater();
        private final byte[] sink = new byte[16 * 1024];
        private long produced;
        private boolean stopped;
        private RejectedException failure;

        static boolean compressed(String type) {
            return type.equals("zTXt") || type.equals("iTXt") || type.equals("iCCP");
        }

        MetadataInflation(String type) {
            this.type = type;
            this.budget = type.equals("iCCP") ? MAX_PROFILE_INFLATED : MAX_TEXT_INFLATED;
        }

        void feed(byte[] bytes, int offset, int length) {
            int i = offset;
            int end = offset + length;
            while (!inData && i < end) {
                if (headerLength == MAX_HEADER) {
                    stopped = true; // not a well-formed header: nothing that readers will inflate
                    return;
                }
                header[headerLength++] = bytes[i++];
                inData = headerComplete();
            }
            if (inData && compressed && !stopped && i < end) {
                inflate(bytes, i, end - i);
            }
        }

        private boolean headerComplete() {
            int first = nul(0);
            if (first < 0) {
                return false;
            }
            if (!type.equals("iTXt")) {
                compressed = true;
                return headerLength == first + 2; // the method byte
            }
            if (headerLength < first + 3) {
                return false;
            }
            int language = nul(first + 3);
            int translated = language < 0 ? -1 : nul(language + 1);
            compressed = header[first + 1] == 1;
            return translated >= 0 && headerLength == translated + 1;
        }

        private int nul(int from) {
            for (int i = from; i < headerLength; i++) {
                if (header[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        private void inflate(byte[] bytes, int offset, int length) {
            if (inflater.finished()) {
                return;
            }
            inflater.setInput(bytes, offset, length);
            try {
                while (!inflater.needsInput() && !inflater.finished() && !inflater.needsDictionary()) {
                    produced += inflater.inflate(sink);
                    if (produced > budget) {
                        failure = new RejectedException("metadata-too-large", "a PNG " + type + " chunk inflates past "
                                + budget + " bytes");
                        stopped = true;
                        return;
                    }
                }
            } catch (DataFormatException e) {
                stopped = true; // unreadable metadata is metadata nobody reads
            }
        }

        void finish() {
            inflater.end();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static boolean legal(int colourType, int depth) {
        return switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
