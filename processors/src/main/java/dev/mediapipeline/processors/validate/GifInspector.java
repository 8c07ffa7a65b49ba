package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.media.ImageFormat;
import java.io.IOException;

/**
 * GIF: header, logical screen (the canvas size), optional global colour table, then blocks:
 * extensions and images (each image's data in length-prefixed sub-blocks) up to the trailer 0x3B.
 * Every image must lie inside the canvas and its LZW code size must be legal.
 */
final class GifInspector {

    private GifInspector() {
    }

    static ImageStructure inspect(ByteCursor in) throws IOException {
        byte[] header = in.bytes(6);
        String signature = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!signature.equals("GIF87a") && !signature.equals("GIF89a")) {
            throw in.corrupt("not a GIF header");
        }
        int width = in.u16le();
        int height = in.u16le();
        int flags = in.u8();
        in.skip(2); // background colour, aspect ratio
        if (width == 0 || height == 0) {
            throw in.corrupt("GIF canvas of " + width + "x" + height);
        }
        if ((flags & 0x80) != 0) {
            in.skip(3L * (1 << ((flags & 0x07) + 1)));
        }
        int frames = 0;
        while (true) {
            int block = in.u8();
            switch (block) {
                case 0x21 -> { // extension: label, then sub-blocks
                    in.u8();
                    skipSubBlocks(in);
                }
                case 0x2C -> { // image descriptor
                    int left = in.u16le();
                    int top = in.u16le();
                    int w = in.u16le();
                    int h = in.u16le();
                    int imageFlags = in.u8();
                    if (w == 0 || h == 0 || left + w > width || top + h > height) {
                        throw in.corrupt("GIF frame " + w + "x" + h + " at " + left + "," + top
                                + " outside the " + width + "x" + height + " canvas");
                    }
                    if ((imageFlags & 0x80) != 0) {
                        in.skip(3L * (1 << ((imageFlags & 0x07) + 1)));
                    } else if ((flags & 0x80) == 0) {
                        throw in.corrupt("GIF frame without any colour table");
                    }
                    int codeSize = in.u8();
                    if (codeSize < 2 || codeSize > 11) {
                        throw in.corrupt("GIF LZW minimum code size " + codeSize);
                    }
                    skipSubBlocks(in);
                    frames++;
                }
                case 0x3B -> {
                    if (frames == 0) {
                        throw in.corrupt("GIF without any image");
                    }
                    return new ImageStructure(ImageFormat.GIF, width, height, frames, in.position());
                }
                default -> throw in.corrupt("unknown GIF block 0x" + Integer.toHexString(block));
            }
        }
    }

    private static void skipSubBlocks(ByteCursor in) throws IOException {
        int size;
        while ((size = in.u8()) != 0) {
            in.skip(size);
        }
    }
}
