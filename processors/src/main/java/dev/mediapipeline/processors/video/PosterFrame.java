package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProbe;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/**
 * The poster frame: JCodec decodes the keyframe nearest a position in the video (10% of its duration
 * by default, so not the black first frame), and the picture is turned upright by the track's rotation.
 */
final class PosterFrame {

    private PosterFrame() {
    }

    static BufferedImage grab(Path video, VideoProbe probe, double position) throws IOException {
        double at = probe.durationSeconds() * position;
        int keyframe = nearestKeyframeIndex(video, at);
        Picture picture;
        try (SeekableByteChannel channel = NIOUtils.readableChannel(video.toFile())) {
            picture = FrameGrab.createFrameGrab(channel).seekToFrameSloppy(keyframe).getNativeFrame();
        } catch (JCodecException | RuntimeException e) {
            throw new IOException("JCodec cannot decode the frame at " + at + " s: " + e, e);
        }
        if (picture == null) {
            throw new IOException("JCodec found no frame at " + at + " s");
        }
        BufferedImage image = square(AWTUtil.toBufferedImage(picture), probe.presentationWidth(), probe.presentationHeight());
        return switch (probe.rotation()) {
            case 90 -> AWTUtil.rotate90ToRight(image);
            case 180 -> AWTUtil.rotate180(image);
            case 270 -> AWTUtil.rotate90ToLeft(image);
            default -> image;
        };
    }

    /** Stretched to the presentation size when the pixels are not square (720x576 PAL shown at 768x576). */
    private static BufferedImage square(BufferedImage frame, int width, int height) {
        if (width <= 0 || height <= 0 || (frame.getWidth() == width && frame.getHeight() == height)) {
            return frame;
        }
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(frame, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    /** The sample number of the sync sample whose presentation time is nearest {@code seconds}. */
    private static int nearestKeyframeIndex(Path video, double seconds) throws IOException {
        Mp4Movie movie = Mp4Movie.open(video);
        var track = movie.first("vide");
        SampleTable samples = SampleTable.of(track);
        long shift = Mp4Movie.mediaStart(track);
        int best = samples.sync.nextSetBit(0);
        double bestDistance = Double.MAX_VALUE;
        for (int i = best; i >= 0; i = samples.sync.nextSetBit(i + 1)) {
            double t = (double) (samples.decodeTime[i] + samples.compositionOffset[i] - shift) / samples.timescale;
            if (Math.abs(t - seconds) < bestDistance) {
                bestDistance = Math.abs(t - seconds);
                best = i;
            }
        }
        return Math.max(0, best);
    }
}
