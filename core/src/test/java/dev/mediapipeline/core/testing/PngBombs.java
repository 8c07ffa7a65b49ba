package dev.mediapipeline.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small PNG files that claim or inflate to enormous sizes, each well-formed (every CRC right), so
 * that only a budget can stop them: the hostile uploads the validation must refuse before it
 * allocates or inflates anything large.
 */
public final class PngBombs {

    private static byte[] gigabyteOfZeros;

    private PngBombs() {
    }

    /** Every bomb by name, with the reason it must be refused for. */
    public static Map<String, Bomb> all() {
        Map<String, Bomb> bombs = new LinkedHashMap<>();
        byte[] gib = zlibOfZeros();
        byte[] textHeader = ascii("Comment\0\0");
        bombs.put("ztxt-1gib.png", new Bomb(png(16, 16, chunk("zTXt", concat(textHeader, gib))), "metadata-too-large"));
        bombs.put("itxt-1gib.png", new Bomb(png(16, 16, chunk("iTXt", concat(ascii("Comment\0\1\0en\0\0"), gib))), "metadata-too-large"));
        bombs.put("iccp-1gib.png", new Bomb(png(16, 16, chunk("iCCP", concat(ascii("ICC Profile\0\0"), gib))), "metadata-too-large"));
        bombs.put("idat-60000x60000.png", new Bomb(raw(60000, 60000, 2, gib), "too-many-pixels"));
        bombs.put("actl-2pow31.png", new Bomb(png(16, 16, chunk("acTL", ByteBuffer.allocate(8).putInt(0x80000000).putInt(0).array())),
                "too-many-frames"));
        bombs.put("strip-199x250000.png", new Bomb(raw(199, 250000, 0, zlib(new byte[0])), "too-large-dimension"));
        return bombs;
    }

    public record Bomb(byte[] bytes, String reason) {
    }

    /**
     * A plain 100x16400 photo-like PNG: within every budget, but taller than WebP can encode (16,383
     * pixels), so its rendition's encoder fails: an item whose processing throws, not a refusal.
     */
    public static byte[] tallerThanWebp() {
        return png(100, 16400);
    }

    /** A valid width x height RGB PNG with the extra chunks before its image data. */
    public static byte[] png(int width, int height, byte[]... extra) {
        byte[] scanlines = new byte[height * (1 + width * 3)];
        return build(width, height, 2, zlib(scanlines), extra);
    }

    private static byte[] raw(int width, int height, int colourType, byte[] imageData) {
        return build(width, height, colourType, imageData);
    }

    private static byte[] build(int width, int height, int colourType, byte[] imageData, byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array()));
        for (byte[] chunk : extra) {
            out.writeBytes(chunk);
        }
        out.writeBytes(chunk("IDAT", imageData));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    public static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = ascii(type);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue()).array();
    }

    /** A zlib stream that inflates to 1 GiB of zeros (about 1 MB), made once. */
    public static synchronized byte[] zlibOfZeros() {
        if (gigabyteOfZeros == null) {
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            byte[] zeros = new byte[1024 * 1024];
            byte[] buffer = new byte[64 * 1024];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 1024; i++) {
                deflater.setInput(zeros);
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            gigabyteOfZeros = out.toByteArray();
        }
        return gigabyteOfZeros;
    }

    private static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
