package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.media.ImageFormat;
import java.io.IOException;

/**
 * JPEG: SOI, marker segments (each with its length), entropy-coded data after every SOS (where
 * 0xFF is followed by a stuffed 0x00 or a restart marker), and EOI. The frame header (SOFn) gives
 * the size. Segments that hold thumbnails (APPn) are skipped by their length, so an embedded
 * thumbnail's EOI is not mistaken for the image's.
 */
final class JpegInspector {

    private JpegInspector() {
    }

    static ImageStructure inspect(ByteCursor in) throws IOException {
        if (in.u8() != 0xFF || in.u8() != 0xD8) {
            throw in.corrupt("no JPEG start-of-image marker");
        }
        int width = 0;
        int height = 0;
        boolean sawScan = false;
        int marker = nextMarker(in);
        while (true) {
            if (marker == 0xD9) { // EOI
                if (width == 0 || !sawScan) {
                    throw in.corrupt("JPEG ends without a frame header or scan");
                }
                return new ImageStructure(ImageFormat.JPEG, width, height, 1, in.position());
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length
                marker = nextMarker(in);
                continue;
            }
            if (marker == 0xD8) {
                throw in.corrupt("a second JPEG start-of-image marker");
            }
            int length = in.u16be();
            if (length < 2) {
                throw in.corrupt("JPEG segment length " + length);
            }
            if (isFrameHeader(marker)) {
                if (length < 8) {
                    throw in.corrupt("JPEG frame header too short");
                }
                in.u8(); // sample precision
                height = in.u16be();
                width = in.u16be();
                if (width == 0 || height == 0) {
                    throw in.corrupt("JPEG frame of " + width + "x" + height + " (a height defined later by DNL is not supported)");
                }
                in.skip(length - 7);
                marker = nextMarker(in);
            } else if (marker == 0xDA) { // SOS, then entropy-coded data up to the next marker
                if (width == 0) {
                    throw in.corrupt("JPEG scan before the frame header");
                }
                in.skip(length - 2);
                sawScan = true;
                marker = skipEntropyCodedData(in);
            } else {
                in.skip(length - 2);
                marker = nextMarker(in);
            }
        }
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int nextMarker(ByteCursor in) throws IOException {
        if (in.u8() != 0xFF) {
            throw in.corrupt("expected a JPEG marker");
        }
        int marker = in.u8();
        while (marker == 0xFF) { // fill bytes
            marker = in.u8();
        }
        return marker;
    }

    /** Reads entropy-coded bytes and returns the first real marker after them. */
    private static int skipEntropyCodedData(ByteCursor in) throws IOException {
        while (true) {
            if (in.u8() != 0xFF) {
                continue;
            }
            int next = in.u8();
            while (next == 0xFF) {
                next = in.u8();
            }
            if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7)) {
                return next;
            }
        }
    }
}
