package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProbe;
import dev.mediapipeline.processors.validate.MagicBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Encodes an ABR ladder with one ffmpeg run (the source decoded once, one H.264 output per rung,
 * keyframes forced on the same instants in every rung so their segments line up). A rung is the
 * picture's shorter side (720 is 1280x720, or 720x1280 upright); none is above the source: a source
 * between rungs gets its own size as the top rung. The audio, AAC LC, goes with the top rung.
 */
public class FfmpegLadder {

    private final Ffmpeg ffmpeg;

    public FfmpegLadder(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** The rungs for a source, highest first. */
    public static List<Integer> rungs(List<Integer> ladder, VideoProbe probe) {
        int shorter = Math.min(probe.displayWidth(), probe.displayHeight()) / 2 * 2;
        TreeSet<Integer> rungs = new TreeSet<>(java.util.Comparator.reverseOrder());
        for (int rung : ladder) {
            if (rung <= shorter) {
                rungs.add(rung);
            }
        }
        if (rungs.isEmpty() || rungs.first() < shorter && ladder.stream().anyMatch(r -> r > shorter)) {
            rungs.add(shorter);
        }
        return List.copyOf(rungs);
    }

    /** x264's constant rate factor per rung: a little more bits per pixel for the small ones, where artefacts show most. */
    public static int crf(int rung) {
        return rung >= 1080 ? 21 : rung >= 720 ? 22 : 24;
    }

    /** Square pixels if they are not, then the rung's size; nothing for a rung that is the source as it is. */
    private static String filters(VideoProbe probe, int rung, boolean portrait) {
        boolean square = probe.presentationWidth() == probe.video().width() && probe.presentationHeight() == probe.video().height();
        int shorter = Math.min(probe.displayWidth(), probe.displayHeight());
        List<String> chain = new ArrayList<>();
        if (!square) {
            chain.add(Ffmpeg.SQUARE_PIXELS);
        }
        if (!square || rung != shorter) {
            chain.add(portrait ? "scale=" + rung + ":-2" : "scale=-2:" + rung);
        }
        chain.add("setsar=1");
        return String.join(",", chain);
    }

    /**
     * The container to read the source as. The ladder is encoded from the upload, which may be in a
     * container that needed a transcode first (MPEG-PS, AVI...) and passed ffprobe's budgets then; it
     * is read as what its magic bytes show, never as what ffmpeg would guess.
     */
    private static String demuxer(Path source) throws IOException {
        String type = MagicBytes.detect(source).getBaseType().toString();
        String demuxer = Ffmpeg.demuxer(type);
        if (demuxer == null) {
            throw new IOException("the ladder's source is " + type + ", which ffmpeg is not allowed to read");
        }
        return demuxer;
    }

    /** Encodes the rungs into {@code dir}; the inputs for the packager, highest first. */
    public List<StreamPackager.VideoInput> encode(Path source, VideoProbe probe, List<Integer> ladder, Path dir) throws IOException {
        boolean portrait = probe.displayHeight() > probe.displayWidth();
        List<String> out = new ArrayList<>();
        List<StreamPackager.VideoInput> inputs = new ArrayList<>();
        boolean first = true;
        for (int rung : rungs(ladder, probe)) {
            Path file = dir.resolve("rung-" + rung + ".mp4");
            out.addAll(List.of("-map", "0:V:0"));
            if (first && probe.audio() != null) {
                out.addAll(List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"));
            }
            out.addAll(List.of("-map_metadata", "-1", "-vf", filters(probe, rung, portrait)));
            out.addAll(ffmpeg.h264(crf(rung)));
            out.addAll(List.of("-movflags", "+faststart"));
            out.addAll(ffmpeg.sizeCap());
            out.add("file:" + file.toAbsolutePath());
            inputs.add(new StreamPackager.VideoInput("video-" + rung + "p", file));
            first = false;
        }
        ffmpeg.run(source, demuxer(source), out, dir.resolve("ladder.log"));
        return inputs;
    }
}
