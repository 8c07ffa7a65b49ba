package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.containers.mp4.MP4Util;
import org.jcodec.containers.mp4.boxes.Edit;
import org.jcodec.containers.mp4.boxes.MovieBox;
import org.jcodec.containers.mp4.boxes.TrakBox;

/**
 * An ISO base media file (MP4, MOV) as JCodec parses its {@code moov}: the tracks, their timescales,
 * edit lists and sample tables. Only the movie header is read; the media data stays on disk. The raw
 * bytes of each track's sample description ({@code stsd}) are kept as they are in the file, so that
 * an init segment carries the codec configuration byte for byte. A reference movie (media in other
 * files or at URLs) is refused before JCodec sees it.
 */
final class Mp4Movie {

    private final MovieBox moov;
    private final List<byte[]> rawSampleDescriptions;

    private Mp4Movie(MovieBox moov, List<byte[]> rawSampleDescriptions) {
        this.moov = moov;
        this.rawSampleDescriptions = rawSampleDescriptions;
    }

    /** The moov box JCodec parses, at most this large: a 3-hour movie's tables take a few tens of MB. */
    static final long MAX_MOOV = 64L << 20;

    static Mp4Movie open(Path file) throws IOException {
        long fileSize = java.nio.file.Files.size(file);
        try (SeekableByteChannel channel = NIOUtils.readableChannel(file.toFile())) {
            MP4Util.Atom moovAtom = MP4Util.findFirstAtom("moov", channel);
            if (moovAtom == null) {
                throw new IOException("no moov box: not a complete MP4/MOV file");
            }
            // budgets before JCodec allocates what the header declares
            long size = moovAtom.getHeader().getSize();
            if (size < 8 || moovAtom.getOffset() + size > fileSize) {
                throw new IOException("the moov box claims " + size + " bytes, past the end of the " + fileSize + "-byte file");
            }
            if (size > MAX_MOOV) {
                throw new IOException("the moov box is " + size + " bytes, over " + MAX_MOOV);
            }
            ByteBuffer raw = ByteBuffer.allocate((int) size);
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                while (raw.hasRemaining() && in.read(raw, moovAtom.getOffset() + raw.position()) > 0) {
                    // read the whole box
                }
            }
            raw.flip();
            MoovBudget.check(raw, fileSize);
            ReferenceMovie.check(raw); // a movie whose media is elsewhere is refused, never followed
            channel.setPosition(0);
            MovieBox moov = MP4Util.parseMovieChannel(channel);
            if (moov == null) {
                throw new IOException("the moov box cannot be parsed");
            }
            return new Mp4Movie(moov, sampleDescriptions(raw));
        }
    }

    MovieBox moov() {
        return moov;
    }

    /** The first track with the handler ({@code vide}, {@code soun}), or null. */
    TrakBox first(String handler) {
        for (TrakBox track : moov.getTracks()) {
            if (handler.equals(track.getHandlerType())) {
                return track;
            }
        }
        return null;
    }

    int count(String handler) {
        int n = 0;
        for (TrakBox track : moov.getTracks()) {
            if (handler.equals(track.getHandlerType())) {
                n++;
            }
        }
        return n;
    }

    /** The track's {@code stsd} box as stored in the file, header included. */
    byte[] rawSampleDescription(TrakBox track) {
        TrakBox[] tracks = moov.getTracks();
        for (int i = 0; i < tracks.length; i++) {
            if (tracks[i] == track) {
                return rawSampleDescriptions.get(i);
            }
        }
        throw new IllegalArgumentException("not a track of this movie");
    }

    /**
     * Where the track's presentation starts in its media time: the media time of a single edit (or
     * of the edit after an empty one), 0 when there is no edit list.
     */
    static long mediaStart(TrakBox track) {
        List<Edit> edits = track.getEdits();
        if (edits == null) {
            return 0;
        }
        for (Edit edit : edits) {
            if (edit.getMediaTime() >= 0) {
                return edit.getMediaTime();
            }
        }
        return 0;
    }

    /** Clockwise rotation in degrees from the track header's matrix. */
    static int rotation(TrakBox track) {
        int[] m = track.getTrackHeader().getMatrix();
        if (m == null || m.length < 5) {
            return 0;
        }
        int a = Integer.signum(m[0]);
        int b = Integer.signum(m[1]);
        int c = Integer.signum(m[3]);
        int d = Integer.signum(m[4]);
        if (a == 0 && b == 1 && c == -1 && d == 0) {
            return 90;
        }
        if (a == -1 && b == 0 && c == 0 && d == -1) {
            return 180;
        }
        if (a == 0 && b == -1 && c == 1 && d == 0) {
            return 270;
        }
        return 0;
    }

    /** The raw stsd of every trak, in trak order, found by walking moov/trak/mdia/minf/stbl/stsd. */
    private static List<byte[]> sampleDescriptions(ByteBuffer moov) throws IOException {
        List<byte[]> found = new ArrayList<>();
        for (ByteBuffer trak : children(body(moov), "trak")) {
            ByteBuffer stsd = path(trak, "mdia", "minf", "stbl", "stsd");
            if (stsd == null) {
                throw new IOException("a track has no sample description");
            }
            byte[] bytes = new byte[stsd.remaining()];
            stsd.get(bytes);
            found.add(bytes);
        }
        return found;
    }

    /** The box's body (after its header), given a buffer holding exactly the box. */
    private static ByteBuffer body(ByteBuffer box) {
        ByteBuffer b = box.duplicate();
        long size = Integer.toUnsignedLong(b.getInt());
        b.getInt();
        if (size == 1) {
            b.getLong();
        }
        return b.slice();
    }

    private static ByteBuffer path(ByteBuffer box, String... names) throws IOException {
        ByteBuffer current = box;
        for (String name : names) {
            List<ByteBuffer> next = children(body(current), name);
            if (next.isEmpty()) {
                return null;
            }
            current = next.getFirst();
        }
        return current;
    }

    /** Child boxes of the type, each as a buffer holding the whole box. */
    static List<ByteBuffer> children(ByteBuffer body, String type) throws IOException {
        List<ByteBuffer> found = new ArrayList<>();
        ByteBuffer b = body.duplicate();
        while (b.remaining() >= 8) {
            int start = b.position();
            long size = Integer.toUnsignedLong(b.getInt());
            byte[] fourcc = new byte[4];
            b.get(fourcc);
            if (size == 1) {
                size = b.getLong();
            } else if (size == 0) {
                size = b.limit() - start;
            }
            if (size < 8 || start + size > b.limit()) {
                throw new IOException("a box in the movie header runs past its parent");
            }
            if (type.equals(new String(fourcc, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                found.add(b.duplicate().position(start).limit((int) (start + size)).slice());
            }
            b.position((int) (start + size));
        }
        return found;
    }
}
