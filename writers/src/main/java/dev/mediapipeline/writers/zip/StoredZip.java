package dev.mediapipeline.writers.zip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The ZIP format's records (APPNOTE 6.3) for an archive of STORED members: media is compressed
 * already. Names are UTF-8 (flag bit 11). Members are under 4 GiB each; the archive itself may
 * pass 4 GiB or 65535 members, with ZIP64 offsets and end records then. Written here, not by a
 * library, because a restart must resume the archive at a recorded offset, and no zip stream
 * library can be resumed from a checkpoint.
 */
final class StoredZip {

    static final long MAX_MEMBER = 0xFFFFFFFEL;
    static final int CRC_OFFSET = 14;
    private static final long U32 = 0xFFFFFFFFL;
    private static final int U16 = 0xFFFF;

    private StoredZip() {
    }

    record Member(String name, long size, long crc32, long headerOffset) {
    }

    /** The local header, with a CRC of 0 to be patched at {@link #CRC_OFFSET} once the data is read. */
    static ByteBuffer localHeader(String name, long size, LocalDateTime stamp) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(30 + n.length);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) 0)
                .putShort(dosTime(stamp)).putShort(dosDate(stamp))
                .putInt(0).putInt((int) size).putInt((int) size)
                .putShort((short) n.length).putShort((short) 0).put(n);
        return b.flip();
    }

    static int localHeaderLength(String name) {
        return 30 + name.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The central directory and end records for every member, starting at {@code offset}. */
    static ByteBuffer centralDirectory(List<Member> members, long offset, LocalDateTime stamp) {
        int length = 0;
        for (Member m : members) {
            length += 46 + m.name().getBytes(StandardCharsets.UTF_8).length + (m.headerOffset() >= U32 ? 12 : 0);
        }
        ByteBuffer b = le(length + 56 + 20 + 22);
        for (Member m : members) {
            byte[] n = m.name().getBytes(StandardCharsets.UTF_8);
            boolean zip64 = m.headerOffset() >= U32;
            b.putInt(0x02014b50).putShort((short) (3 << 8 | 45)).putShort((short) (zip64 ? 45 : 20))
                    .putShort((short) 0x0800).putShort((short) 0)
                    .putShort(dosTime(stamp)).putShort(dosDate(stamp))
                    .putInt((int) m.crc32()).putInt((int) m.size()).putInt((int) m.size())
                    .putShort((short) n.length).putShort((short) (zip64 ? 12 : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0100644 << 16)
                    .putInt(zip64 ? (int) U32 : (int) m.headerOffset())
                    .put(n);
            if (zip64) {
                b.putShort((short) 1).putShort((short) 8).putLong(m.headerOffset());
            }
        }
        long size = length;
        long end = offset + size;
        if (members.size() >= U16 || offset >= U32 || size >= U32) {
            b.putInt(0x06064b50).putLong(44).putShort((short) (3 << 8 | 45)).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(members.size()).putLong(members.size()).putLong(size).putLong(offset);
            b.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
        }
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(members.size(), U16)).putShort((short) Math.min(members.size(), U16))
                .putInt((int) Math.min(size, U32)).putInt((int) Math.min(offset, U32)).putShort((short) 0);
        return b.flip();
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static short dosTime(LocalDateTime t) {
        return (short) (t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2);
    }

    private static short dosDate(LocalDateTime t) {
        return (short) (Math.max(0, t.getYear() - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth());
    }
}
