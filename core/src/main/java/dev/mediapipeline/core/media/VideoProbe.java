package dev.mediapipeline.core.media;

import java.util.List;

/**
 * What a video is, read from its container without decoding it.
 *
 * @param container     {@code MP4} or {@code MOV} (ISO base media), or what else was recognised
 * @param video         the first video track
 * @param audio         the first audio track, or null when there is none
 * @param presentationWidth, presentationHeight the picture's size before rotation with the pixel aspect
 *                      ratio applied (the track header's size): 768x576 for 720x576 PAL with 16:15 pixels
 * @param rotation      clockwise degrees the player turns the picture (0, 90, 180, 270), from the track matrix
 * @param keyframes     presentation times (seconds) of the video's sync samples
 * @param notes         what was left out (further tracks, an edit list that is not a plain start offset)
 */
public record VideoProbe(String container, Track video, Track audio, double durationSeconds, int presentationWidth,
        int presentationHeight, int rotation,
        List<Double> keyframes, List<String> notes) {

    /**
     * One track.
     *
     * @param fourcc      the sample entry's type (avc1, mp4a, ...)
     * @param codec       the RFC 6381 codec string (avc1.64001f, mp4a.40.2), as HLS CODECS and DASH codecs need
     * @param codecName   a readable name with profile (H.264 High, AAC LC, MP3, MPEG-2 video)
     * @param samples     number of samples (frames for video)
     * @param width, height coded size, for video
     * @param sampleRate, channels for audio
     * @param unplayable  why browsers' players cannot decode this track as it is, or null when they can
     */
    public record Track(String fourcc, String codec, String codecName, int timescale, long samples, long mediaDuration,
            int width, int height, int sampleRate, int channels, String unplayable) {

        public double seconds() {
            return timescale == 0 ? 0 : (double) mediaDuration / timescale;
        }
    }

    /** Width and height as shown: square pixels, once the rotation is applied. */
    public int displayWidth() {
        return rotation % 180 == 0 ? presentationWidth : presentationHeight;
    }

    public int displayHeight() {
        return rotation % 180 == 0 ? presentationHeight : presentationWidth;
    }
}
