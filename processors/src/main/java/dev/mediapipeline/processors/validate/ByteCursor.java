package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.error.RejectedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file front to back through its own buffer, counting its position; running out of bytes
 * is a truncated file. Not thread-safe: one cursor per inspection.
 */
final class ByteCursor implements Closeable {

    private final InputStream in;
    private final long size;
    private final byte[] buffer = new byte[64 * 1024];
    private int next;
    private int limit;
    private long bufferStart;

    ByteCursor(Path file) throws IOException {
        this.size = Files.size(file);
        this.in = Files.newInputStream(file);
    }

    long size() {
        return size;
    }

    long position() {
        return bufferStart + next;
    }

    int u8() throws IOException {
        if (next == limit && !fill()) {
            throw truncated();
        }
        return buffer[next++] & 0xFF;
    }

    int u16be() throws IOException {
        return (u8() << 8) | u8();
    }

    int u16le() throws IOException {
        return u8() | (u8() << 8);
    }

    int u24le() throws IOException {
        return u8() | (u8() << 8) | (u8() << 16);
    }

    long u32be() throws IOException {
        return ((long) u16be() << 16) | u16be();
    }

    long u32le() throws IOException {
        return u16le() | ((long) u16le() << 16);
    }

    byte[] bytes(int n) throws IOException {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) u8();
        }
        return bytes;
    }

    /** Copies the next n bytes into {@code consumer} a buffer at a time (for checksums). */
    void read(long n, Chunk consumer) throws IOException {
        if (n < 0 || n > size - position()) {
            throw n < 0 ? corrupt("negative length") : truncated();
        }
        long left = n;
        while (left > 0) {
            if (next == limit && !fill()) {
                throw truncated();
            }
            int take = (int) Math.min(left, limit - next);
            consumer.accept(buffer, next, take);
            next += take;
            left -= take;
        }
    }

    void skip(long n) throws IOException {
        read(n, (b, off, len) -> { });
    }

    interface Chunk {
        void accept(byte[] bytes, int offset, int length);
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        next = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    RejectedException truncated() {
        return new RejectedException("truncated", "the file ends at offset " + position() + " before the image does");
    }

    RejectedException corrupt(String what) {
        return new RejectedException("corrupt", what + " (offset " + position() + ")");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
