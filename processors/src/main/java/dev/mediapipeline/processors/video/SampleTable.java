package dev.mediapipeline.processors.video;

import java.util.BitSet;
import org.jcodec.containers.mp4.boxes.CompositionOffsetsBox;
import org.jcodec.containers.mp4.boxes.SampleSizesBox;
import org.jcodec.containers.mp4.boxes.SampleToChunkBox;
import org.jcodec.containers.mp4.boxes.SyncSamplesBox;
import org.jcodec.containers.mp4.boxes.TimeToSampleBox;
import org.jcodec.containers.mp4.boxes.TrakBox;

/**
 * A track's samples, expanded from its sample tables (stsz, stco/co64, stsc, stts, ctts, stss):
 * where each one is in the file, how big, its decode time and composition offset, and whether it is
 * a sync sample. A few bytes per sample; the media itself is never read here.
 */
final class SampleTable {

    final int count;
    final long[] offset;
    final int[] size;
    /** decode time in the track's timescale, of each sample and (at index count) of the end */
    final long[] decodeTime;
    final int[] compositionOffset;
    final BitSet sync;
    final int timescale;

    private SampleTable(int count, long[] offset, int[] size, long[] decodeTime, int[] compositionOffset, BitSet sync, int timescale) {
        this.count = count;
        this.offset = offset;
        this.size = size;
        this.decodeTime = decodeTime;
        this.compositionOffset = compositionOffset;
        this.sync = sync;
        this.timescale = timescale;
    }

    static SampleTable of(TrakBox track) {
        SampleSizesBox stsz = track.getStsz();
        int count = stsz.getCount();
        int[] size = new int[count];
        if (stsz.getDefaultSize() != 0) {
            java.util.Arrays.fill(size, stsz.getDefaultSize());
        } else {
            System.arraycopy(stsz.getSizes(), 0, size, 0, count);
        }

        long[] chunkOffsets = track.getStco() != null ? track.getStco().getChunkOffsets() : track.getCo64().getChunkOffsets();
        SampleToChunkBox.SampleToChunkEntry[] stsc = track.getStsc().getSampleToChunk();
        long[] offset = new long[count];
        int sample = 0;
        for (int e = 0; e < stsc.length && sample < count; e++) {
            int firstChunk = (int) stsc[e].getFirst();
            int lastChunk = e + 1 < stsc.length ? (int) stsc[e + 1].getFirst() - 1 : chunkOffsets.length;
            for (int chunk = firstChunk; chunk <= lastChunk && sample < count; chunk++) {
                long position = chunkOffsets[chunk - 1];
                for (int i = 0; i < stsc[e].getCount() && sample < count; i++) {
                    offset[sample] = position;
                    position += size[sample];
                    sample++;
                }
            }
        }
        if (sample < count) {
            throw new IllegalArgumentException("the chunk tables place " + sample + " of " + count + " samples");
        }

        long[] decodeTime = new long[count + 1];
        int s = 0;
        long time = 0;
        for (TimeToSampleBox.TimeToSampleEntry entry : track.getStts().getEntries()) {
            for (int i = 0; i < entry.getSampleCount() && s < count; i++) {
                decodeTime[s++] = time;
                time += entry.getSampleDuration();
            }
        }
        long last = s > 0 ? time - decodeTime[s - 1] : 0; // the duration of the last sample stts gave
        while (s < count) { // a short stts: repeat the last duration
            decodeTime[s++] = time;
            time += last;
        }
        decodeTime[count] = time;

        int[] compositionOffset = new int[count];
        CompositionOffsetsBox ctts = track.getCtts();
        if (ctts != null) {
            int c = 0;
            for (CompositionOffsetsBox.Entry entry : ctts.getEntries()) {
                for (int i = 0; i < entry.getCount() && c < count; i++) {
                    compositionOffset[c++] = entry.getOffset();
                }
            }
        }

        BitSet sync = new BitSet(count);
        SyncSamplesBox stss = track.getStss();
        if (stss == null) {
            sync.set(0, count);
        } else {
            for (int n : stss.getSyncSamples()) {
                if (n >= 1 && n <= count) {
                    sync.set(n - 1);
                }
            }
        }
        return new SampleTable(count, offset, size, decodeTime, compositionOffset, sync, track.getTimescale());
    }

    long duration(int from, int to) {
        return decodeTime[to] - decodeTime[from];
    }
}
