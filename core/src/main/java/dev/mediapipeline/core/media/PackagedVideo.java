package dev.mediapipeline.core.media;

import java.util.List;

/**
 * A video made streamable: its poster frame's renditions and its HLS and DASH files, which share one
 * set of CMAF segments.
 *
 * @param files     every stream file, in the order they must be published: segments and init
 *                  segments first, then media playlists, then the master playlist and the MPD, so that
 *                  an entry point never names a file that is not there yet
 * @param packaging {@code passthrough} (the uploaded encoding, re-packaged) or {@code ladder} (encoded
 *                  renditions), with what was decided and why
 * @param renditionsHeights the heights of the video renditions in the master playlist, highest first
 * @param packagingMillis   how long the packaging took, ladder encodes included (processing usage)
 */
public record PackagedVideo(ProbedVideo video, PublishedOriginal original, List<RenditionFile> renditions,
        List<StreamFile> files, String packaging, List<Integer> renditionsHeights, int segments,
        String profileHash, String tools, long packagingMillis) implements Rendered {

    /** The poster's encode and the packaging (the ladder's encodes included). */
    @Override
    public long encodeMillis() {
        return Rendered.super.encodeMillis() + packagingMillis;
    }

    public static final String MASTER_PLAYLIST = "master.m3u8";
    public static final String DASH_MANIFEST = "manifest.mpd";

    @Override
    public AssembledFile file() {
        return video.file();
    }

    @Override
    public String kind() {
        return "VIDEO";
    }

    @Override
    public String format() {
        return video.probe().container();
    }

    @Override
    public int width() {
        return video.probe().displayWidth();
    }

    @Override
    public int height() {
        return video.probe().displayHeight();
    }

    @Override
    public int frames() {
        return (int) Math.min(Integer.MAX_VALUE, video.probe().video().samples());
    }

    @Override
    public boolean alpha() {
        return false;
    }

    @Override
    public String scanEngine() {
        return video.scanned().scanEngine();
    }

    public VideoProbe probe() {
        return video.probe();
    }
}
