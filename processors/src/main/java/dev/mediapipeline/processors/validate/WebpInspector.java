package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.media.ImageFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * WebP: a RIFF container ("RIFF", size, "WEBP") of chunks, each padded to an even length. The
 * size comes from VP8X (extended: canvas), VP8 (lossy key frame) or VP8L (lossless); an
 * animation's frames are its ANMF chunks. The RIFF size says where the file must end.
 */
final class WebpInspector {

    private WebpInspector() {
    }

    static ImageStructure inspect(ByteCursor in) throws IOException {
        if (!fourCc(in).equals("RIFF")) {
            throw in.corrupt("not a RIFF container");
        }
        long riffSize = in.u32le();
        if (!fourCc(in).equals("WEBP")) {
            throw in.corrupt("RIFF container is not WEBP");
        }
        long end = 8 + riffSize;
        if (riffSize < 4 || (riffSize & 1) != 0) {
            throw in.corrupt("RIFF size " + riffSize);
        }
        if (end > in.size()) {
            throw in.truncated();
        }
        int width = 0;
        int height = 0;
        int frames = 0;
        boolean image = false;
        while (in.position() < end) {
            String type = fourCc(in);
            long size = in.u32le();
            long padded = size + (size & 1);
            if (padded > end - in.position()) {
                throw in.corrupt("WebP " + type + " chunk of " + size + " bytes runs past the RIFF end");
            }
            long dataStart = in.position();
            switch (type) {
                case "VP8X" -> {
                    if (size < 10) {
                        throw in.corrupt("VP8X chunk too short");
                    }
                    in.skip(4); // flags and reserved
                    width = in.u24le() + 1;
                    height = in.u24le() + 1;
                }
                case "VP8 " -> {
                    if (size < 10) {
                        throw in.corrupt("VP8 chunk too short");
                    }
                    in.skip(3); // frame tag
                    if (in.u8() != 0x9D || in.u8() != 0x01 || in.u8() != 0x2A) {
                        throw in.corrupt("VP8 key frame start code missing");
                    }
                    int w = in.u16le() & 0x3FFF;
                    int h = in.u16le() & 0x3FFF;
                    if (width == 0) {
                        width = w;
                        height = h;
                    }
                    image = true;
                }
                case "VP8L" -> {
                    if (size < 5 || in.u8() != 0x2F) {
                        throw in.corrupt("VP8L signature missing");
                    }
                    long bits = in.u32le();
                    int w = (int) (bits & 0x3FFF) + 1;
                    int h = (int) ((bits >> 14) & 0x3FFF) + 1;
                    if (width == 0) {
                        width = w;
                        height = h;
                    }
                    image = true;
                }
                case "ANMF" -> {
                    frames++;
                    image = true;
                }
                default -> {
                    // ICCP, EXIF, XMP, ANIM, ALPH: skipped
                }
            }
            in.skip(padded - (in.position() - dataStart));
        }
        if (!image || width == 0 || height == 0) {
            throw in.corrupt("WebP without an image");
        }
        return new ImageStructure(ImageFormat.WEBP, width, height, Math.max(1, frames), end);
    }

    private static String fourCc(ByteCursor in) throws IOException {
        return new String(in.bytes(4), StandardCharsets.ISO_8859_1);
    }
}
