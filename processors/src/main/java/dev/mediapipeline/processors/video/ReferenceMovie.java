package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.error.RejectedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Refuses a QuickTime reference movie: a movie whose media is elsewhere. Either the whole movie is a
 * pointer ({@code rmra}, reference movie records with {@code rdrf} data references: a URL, a file
 * alias), or a track's data reference ({@code dref}) names another file instead of this one (its
 * self-contained flag clear, or a {@code url }, {@code urn }, {@code alis} or {@code rsrc} entry
 * that carries a location). Readers that follow those open files or URLs the upload chose (ffmpeg
 * did, before its {@code enable_drefs} was turned off by default); readers that do not, as ours,
 * would read the track's offsets in the wrong file. Neither is a video that was uploaded.
 */
final class ReferenceMovie {

    /** Boxes whose children are boxes, on the way to {@code dref} and inside a reference movie. */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf");
    private static final Set<String> REFERENCES = Set.of("rmra", "rmda", "rdrf", "rmdr", "rmqu", "rmcs", "rmvc", "rmcd");
    private static final Set<String> LOCATIONS = Set.of("url ", "urn ", "alis", "rsrc");
    /** the self-contained flag of a data reference entry: the media is in this file */
    private static final int SELF_CONTAINED = 1;

    private ReferenceMovie() {
    }

    /** @param moov the whole moov box, header included, positioned at its start */
    static void check(ByteBuffer moov) throws IOException {
        IsoBoxes.walk(moov.duplicate(), 0, new IsoBoxes.Visitor() {
            @Override
            public void box(String type, ByteBuffer body, int depth) throws IOException {
                if (REFERENCES.contains(type)) {
                    throw new RejectedException("reference-movie", "the movie is a QuickTime reference movie (" + type.strip()
                            + "): its media is in other files or at URLs, not in the upload");
                }
                if (type.equals("dref")) {
                    dataReferences(body);
                } else if (CONTAINERS.contains(type)) {
                    IsoBoxes.walk(body, depth + 1, this);
                }
            }
        });
    }

    /** A full box: version and flags, an entry count, then the entries, each a full box. */
    private static void dataReferences(ByteBuffer dref) throws IOException {
        if (dref.remaining() < 8) {
            throw new IOException("the dref box is shorter than its header");
        }
        ByteBuffer entries = dref.slice(8, dref.remaining() - 8);
        while (entries.remaining() >= 8) {
            int start = entries.position();
            long size = Integer.toUnsignedLong(entries.getInt());
            String type = IsoBoxes.fourcc(entries.getInt());
            if (size < 12 || size - 8 > entries.remaining()) {
                throw new IOException("a data reference (" + type.strip() + ") claims " + size + " bytes, not what its dref holds");
            }
            int flags = entries.getInt() & 0xFFFFFF;
            if ((flags & SELF_CONTAINED) == 0) {
                throw new RejectedException("reference-movie", "a track's media is in another file (a " + type.strip()
                        + " data reference that is not self-contained)");
            }
            if (LOCATIONS.contains(type)) {
                for (int i = start + 12; i < start + size; i++) {
                    if (entries.get(i) != 0) {
                        throw new RejectedException("reference-movie", "a track's data reference (" + type.strip()
                                + ") names a location outside the file");
                    }
                }
            }
            entries.position(start + (int) size);
        }
    }
}
