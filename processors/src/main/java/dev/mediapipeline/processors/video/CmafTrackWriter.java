package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one track as CMAF: an init segment ({@code ftyp} + {@code moov} with {@code mvex}, the source's
 * sample description byte for byte) and media segments ({@code styp} + {@code moof} + {@code mdat}),
 * each a run of whole samples copied from the source file without decoding or re-encoding. Composition
 * offsets are kept as the source has them (non-negative), and the source's start offset (the B-frame
 * delay its edit list skips) goes into the init segment as a one-entry edit list, as ffmpeg's own
 * fragmented output does. Negative offsets (trun version 1) were tried first: ffmpeg's DASH reader
 * recomputes their shift per segment and then repeats a timestamp at a segment boundary.
 */
final class CmafTrackWriter {

    static final int TRACK_ID = 1;
    private static final int SYNC = 0x02000000;       // sample_depends_on = 2 (an I frame)
    private static final int NON_SYNC = 0x01010000;   // sample_depends_on = 1, sample_is_non_sync_sample

    private final boolean video;
    private final SampleTable samples;
    private final long presentationShift;

    CmafTrackWriter(boolean video, SampleTable samples, long presentationShift) {
        this.video = video;
        this.samples = samples;
        this.presentationShift = presentationShift;
    }

    /**
     * @param matrix      the source's track matrix (rotation), carried to the init segment
     * @param width, height the track header's presentation size (16.16 fixed point), video only
     */
    byte[] initSegment(byte[] rawStsd, int[] matrix, long width, long height) {
        BoxBuffer b = new BoxBuffer();
        b.begin("ftyp").fourcc("cmfc").u32(0).fourcc("cmfc").fourcc("iso6").fourcc("mp41").fourcc("dash").end();
        b.begin("moov");
        b.beginFull("mvhd", 0, 0).u32(0).u32(0).u32(samples.timescale).u32(0).u32(0x00010000).u16(0x0100).zeros(10);
        matrix(b, null);
        b.zeros(24).u32(TRACK_ID + 1).end();
        b.begin("trak");
        b.beginFull("tkhd", 0, 0x3).u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0).zeros(8).u16(0).u16(0)
                .u16(video ? 0 : 0x0100).u16(0);
        matrix(b, video ? matrix : null);
        b.u32(video ? width : 0).u32(video ? height : 0).end();
        if (presentationShift > 0) {
            // duration 0: unknown until the fragments are read; media_time: where the presentation starts
            b.begin("edts").beginFull("elst", 0, 0).u32(1).u32(0).u32(presentationShift).u16(1).u16(0).end().end();
        }
        b.begin("mdia");
        b.beginFull("mdhd", 0, 0).u32(0).u32(0).u32(samples.timescale).u32(0).u16(0x55c4).u16(0).end();
        b.beginFull("hdlr", 0, 0).u32(0).fourcc(video ? "vide" : "soun").zeros(12)
                .bytes((video ? "VideoHandler" : "SoundHandler").getBytes(java.nio.charset.StandardCharsets.US_ASCII)).u8(0).end();
        b.begin("minf");
        if (video) {
            b.beginFull("vmhd", 0, 1).zeros(8).end();
        } else {
            b.beginFull("smhd", 0, 0).zeros(4).end();
        }
        b.begin("dinf").beginFull("dref", 0, 0).u32(1).beginFull("url ", 0, 1).end().end().end();
        b.begin("stbl");
        b.bytes(rawStsd);
        b.beginFull("stts", 0, 0).u32(0).end();
        b.beginFull("stsc", 0, 0).u32(0).end();
        b.beginFull("stsz", 0, 0).u32(0).u32(0).end();
        b.beginFull("stco", 0, 0).u32(0).end();
        b.end(); // stbl
        b.end(); // minf
        b.end(); // mdia
        b.end(); // trak
        b.begin("mvex").beginFull("trex", 0, 0).u32(TRACK_ID).u32(1).u32(0).u32(0).u32(0).end().end();
        b.end(); // moov
        return b.toBytes();
    }

    private static void matrix(BoxBuffer b, int[] matrix) {
        int[] m = matrix != null && matrix.length == 9 ? matrix : new int[] {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
        for (int v : m) {
            b.u32(Integer.toUnsignedLong(v));
        }
    }

    /** Writes samples [from, to) as media segment number {@code sequence} (from 1) into {@code target}. */
    long writeSegment(FileChannel source, int sequence, int from, int to, Path target) throws IOException {
        int n = to - from;
        BoxBuffer b = new BoxBuffer();
        b.begin("styp").fourcc("msdh").u32(0).fourcc("msdh").fourcc("msix").fourcc("cmfs").end();
        int moofStart = b.position();
        b.begin("moof");
        b.beginFull("mfhd", 0, 0).u32(sequence).end();
        b.begin("traf");
        b.beginFull("tfhd", 0, 0x020000).u32(TRACK_ID).end(); // default-base-is-moof
        b.beginFull("tfdt", 1, 0).u64(samples.decodeTime[from]).end();
        int flags = 0x000001 | 0x000100 | 0x000200 | (video ? 0x000400 | 0x000800 : 0);
        b.beginFull("trun", 0, flags).u32(n);
        int dataOffsetAt = b.position();
        b.u32(0);
        long payload = 0;
        for (int i = from; i < to; i++) {
            b.u32(samples.decodeTime[i + 1] - samples.decodeTime[i]);
            b.u32(samples.size[i]);
            if (video) {
                b.u32(samples.sync.get(i) ? SYNC : NON_SYNC);
                b.u32(Integer.toUnsignedLong(samples.compositionOffset[i]));
            }
            payload += samples.size[i];
        }
        b.end(); // trun
        b.end(); // traf
        b.end(); // moof
        int moofEnd = b.position();
        boolean large = payload + 8 > 0xffffffffL;
        int mdatHeader = large ? 16 : 8;
        byte[] header = b.toBytes();
        BoxBuffer.putU32(header, dataOffsetAt, (moofEnd - moofStart) + mdatHeader);
        BoxBuffer mdat = new BoxBuffer();
        if (large) {
            mdat.u32(1).fourcc("mdat").u64(payload + 16);
        } else {
            mdat.u32(payload + 8).fourcc("mdat");
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(header));
            out.write(java.nio.ByteBuffer.wrap(mdat.toBytes()));
            int i = from;
            while (i < to) { // copy runs of samples that lie back to back in the source in one transfer
                long start = samples.offset[i];
                long length = samples.size[i];
                int j = i + 1;
                while (j < to && samples.offset[j] == start + length) {
                    length += samples.size[j];
                    j++;
                }
                transfer(source, start, length, out);
                i = j;
            }
        }
        return Files.size(target);
    }

    private static void transfer(FileChannel source, long position, long length, FileChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            long moved = source.transferTo(position + done, length - done, out);
            if (moved <= 0) {
                throw new IOException("the source ends inside a sample at offset " + (position + done));
            }
            done += moved;
        }
    }
}
