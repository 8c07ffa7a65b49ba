package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.ProbedVideo;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.VideoProbe;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.processors.validate.MagicBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.containers.mp4.boxes.TrakBox;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Decides whether a video can be streamed, before any work: its real type from magic bytes, its
 * size, then (with JCodec, from the movie header only) its tracks, codecs, resolution, duration,
 * rotation and keyframes against the budgets. What the packager cannot carry as it is (another
 * container, a codec browsers do not decode) is handed to the transcoder when there is one, and
 * refused with its reason when there is not.
 * <p>
 * ffmpeg reads what it is given, so nothing reaches it unchecked: a text playlist or concat list is
 * refused whatever its name, a QuickTime reference movie too (its media is elsewhere), a container
 * that is not on the list is refused before ffmpeg, and one that is (MPEG-PS, AVI, Matroska...) is
 * first read by ffprobe and held to the same budgets (duration, picture size, and its number of
 * streams) before it is transcoded, read as the container its magic bytes showed and nothing else.
 */
public class VideoProbeProcessor implements ItemProcessor<ScannedFile, ProbedVideo> {

    private final VideoProfile profile;
    private final VideoTranscoder transcoder;

    /** @param transcoder re-encodes what cannot be packaged as it is; null when there is no ffmpeg */
    public VideoProbeProcessor(VideoProfile profile, VideoTranscoder transcoder) {
        this.profile = profile;
        this.transcoder = transcoder;
    }

    @Override
    public ProbedVideo process(ScannedFile scanned) throws IOException {
        Path file = scanned.file().file();
        long size = Files.size(file);
        if (size > profile.maxBytes().toBytes()) {
            throw new RejectedException("too-large", "the video is " + size + " bytes, over the limit of " + profile.maxBytes().toBytes());
        }
        refusePlaylist(file);
        String type = MagicBytes.detect(file).getBaseType().toString();
        String container = switch (type) {
            case "video/mp4", "video/x-m4v", "video/3gpp", "video/3gpp2", "application/mp4", "video/quicktime" -> isoContainer(file);
            default -> null;
        };
        if (container == null) {
            String what = switch (type) {
                case "video/mpeg" -> "an MPEG program stream (MPEG-1/MPEG-2 video)";
                case "video/mp2t" -> "an MPEG transport stream";
                case "video/x-msvideo" -> "AVI";
                case "video/webm" -> "WebM";
                case "video/x-matroska", "application/x-matroska" -> "Matroska";
                case "video/x-ms-asf", "video/x-ms-wmv" -> "ASF/WMV";
                case "video/x-flv" -> "Flash video";
                default -> type;
            };
            String demuxer = Ffmpeg.demuxer(type);
            if (demuxer == null) {
                throw new RejectedException("video-container-not-supported", "the video is " + what
                        + ", which is not a container accepted for packaging or re-encoding");
            }
            String message = "the video is " + what + "; only MP4 and MOV with H.264 are packaged without re-encoding";
            if (transcoder == null) {
                throw new RejectedException("video-container-not-supported", message + ", and no ffmpeg is configured to re-encode it");
            }
            checkBudgets(transcoder.probe(file, demuxer), what);
            return transcode(scanned, demuxer, message);
        }
        VideoProbe probe = probe(file, container);
        checkBudgets(probe);
        Refusal cannot = unplayable(probe);
        if (cannot != null) {
            return transcodeOrRefuse(scanned, cannot.reason(), cannot.message());
        }
        return new ProbedVideo(scanned, file, probe, null);
    }

    /** An MP4/MOV whose codecs cannot be streamed: re-encoded when there is ffmpeg, else refused with the reason. */
    private ProbedVideo transcodeOrRefuse(ScannedFile scanned, String reason, String message) throws IOException {
        if (transcoder == null) {
            throw new RejectedException(reason, message + ", and no ffmpeg is configured to re-encode it");
        }
        return transcode(scanned, "mov", message);
    }

    /** Re-encodes what passed its budgets, then holds the result to them as any MP4. */
    private ProbedVideo transcode(ScannedFile scanned, String demuxer, String message) throws IOException {
        Path source = scanned.file().file();
        Path encoded = transcoder.transcode(source, demuxer, source.resolveSibling("transcoded.mp4"), profile);
        VideoProbe probe = probe(encoded, "MP4");
        checkBudgets(probe);
        Refusal still = unplayable(probe);
        if (still != null) {
            throw new IllegalStateException("the transcode still cannot be packaged: " + still.message());
        }
        return new ProbedVideo(scanned, encoded, probe, message);
    }

    /** What JCodec reads from the movie header. */
    public static VideoProbe probe(Path file, String container) {
        Mp4Movie movie;
        try {
            movie = Mp4Movie.open(file);
        } catch (RejectedException e) {
            throw e; // a reference movie, with its own reason
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("corrupt", "the " + container + " file cannot be parsed: " + e.getMessage());
        }
        TrakBox video = movie.first("vide");
        if (video == null) {
            throw new RejectedException("no-video-track", "the " + container + " file has no video track");
        }
        TrakBox audio = movie.first("soun");
        List<String> notes = new ArrayList<>();
        if (movie.count("vide") > 1) {
            notes.add("only the first of " + movie.count("vide") + " video tracks is packaged");
        }
        if (movie.count("soun") > 1) {
            notes.add("only the first of " + movie.count("soun") + " audio tracks is packaged");
        }
        try {
            SampleTable vs = SampleTable.of(video);
            if (vs.count == 0) {
                throw new RejectedException("no-video-track", "the video track has no frames");
            }
            long end = 0;
            for (int i = 0; i < vs.count; i++) {
                end = Math.max(end, vs.offset[i] + vs.size[i]);
            }
            if (end > Files.size(file)) {
                throw new RejectedException("truncated", "the video's frames reach offset " + end + " but the file ends at "
                        + Files.size(file));
            }
            long shift = Mp4Movie.mediaStart(video);
            List<Double> keyframes = new ArrayList<>();
            for (int i = vs.sync.nextSetBit(0); i >= 0; i = vs.sync.nextSetBit(i + 1)) {
                keyframes.add((double) (vs.decodeTime[i] + vs.compositionOffset[i] - shift) / vs.timescale);
            }
            SampleEntries.Codec vc = SampleEntries.video(movie.rawSampleDescription(video));
            var size = video.getCodedSize();
            int width = size != null ? size.getWidth() : Math.round(video.getTrackHeader().getWidth());
            int height = size != null ? size.getHeight() : Math.round(video.getTrackHeader().getHeight());
            VideoProbe.Track v = new VideoProbe.Track(vc.fourcc(), vc.codec(), vc.name(), vs.timescale, vs.count,
                    vs.decodeTime[vs.count], width, height, 0, 0, vc.unplayable());
            VideoProbe.Track a = null;
            if (audio != null) {
                SampleTable as = SampleTable.of(audio);
                SampleEntries.Codec ac = SampleEntries.audio(movie.rawSampleDescription(audio));
                var entry = audio.getSampleEntries()[0];
                int channels = entry instanceof org.jcodec.containers.mp4.boxes.AudioSampleEntry e ? e.getChannelCount() : 0;
                int rate = entry instanceof org.jcodec.containers.mp4.boxes.AudioSampleEntry e ? Math.round(e.getSampleRate()) : 0;
                a = new VideoProbe.Track(ac.fourcc(), ac.codec(), ac.name(), as.timescale, as.count, as.decodeTime[as.count],
                        0, 0, rate, channels, ac.unplayable());
            }
            int presentationWidth = Math.round(video.getTrackHeader().getWidth());
            int presentationHeight = Math.round(video.getTrackHeader().getHeight());
            if (presentationWidth <= 0 || presentationHeight <= 0) {
                presentationWidth = width;
                presentationHeight = height;
            }
            return new VideoProbe(container, v, a, v.seconds(), presentationWidth, presentationHeight, Mp4Movie.rotation(video),
                    List.copyOf(keyframes), List.copyOf(notes));
        } catch (RejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RejectedException("corrupt", "the " + container + " sample tables are broken: " + e.getMessage());
        }
    }

    private void checkBudgets(VideoProbe probe) {
        if (probe.durationSeconds() > profile.maxDuration().toSeconds()) {
            throw new RejectedException("too-long", String.format(java.util.Locale.ROOT, "the video lasts %.1f s, over the limit of %d s",
                    probe.durationSeconds(), profile.maxDuration().toSeconds()));
        }
        if (probe.video().width() > profile.maxWidth() || probe.video().height() > profile.maxHeight()) {
            throw new RejectedException("too-many-pixels", probe.video().width() + "x" + probe.video().height()
                    + " is over the limit of " + profile.maxWidth() + "x" + profile.maxHeight());
        }
    }

    /**
     * The budgets for a container ffprobe read: no more streams than the profile allows (each one is
     * demuxed, and a file of thousands is an attack, not a video), a video stream, no longer than the
     * longest video (when the container says; when it does not, ffmpeg reads no more than that much
     * of it and the transcode is held to the budget), no picture larger than the largest.
     */
    private void checkBudgets(ContainerProbe probe, String what) {
        if (probe.streamCount() > profile.maxStreams()) {
            throw new RejectedException("too-many-streams", "the video (" + what + ") has " + probe.streamCount()
                    + " streams, over the limit of " + profile.maxStreams());
        }
        if (probe.videos().isEmpty()) {
            throw new RejectedException("no-video-track", "the " + what + " file has no video stream");
        }
        if (!Double.isNaN(probe.durationSeconds()) && probe.durationSeconds() > profile.maxDuration().toSeconds()) {
            throw new RejectedException("too-long", String.format(java.util.Locale.ROOT, "the video lasts %.1f s, over the limit of %d s",
                    probe.durationSeconds(), profile.maxDuration().toSeconds()));
        }
        for (ContainerProbe.Stream video : probe.videos()) {
            if (video.width() > profile.maxWidth() || video.height() > profile.maxHeight()) {
                throw new RejectedException("too-many-pixels", video.width() + "x" + video.height()
                        + " is over the limit of " + profile.maxWidth() + "x" + profile.maxHeight());
            }
        }
    }

    /**
     * Refuses a text playlist (HLS {@code #EXTM3U}, {@code #EXT...}) or an ffmpeg concat list
     * ({@code ffconcat}) whatever it is called: such a file is a list of other files and URLs, and a
     * reader that follows it reads what the upload chose. Tika does not call them video (an HLS
     * playlist, text), so the image path refuses them first; this holds if one reaches the video path
     * all the same. (ffmpeg, which reads every input with a pinned demuxer, would not follow one either.)
     */
    static void refusePlaylist(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        int at = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        while (at < head.length && (head[at] == ' ' || head[at] == '\t' || head[at] == '\r' || head[at] == '\n')) {
            at++;
        }
        String start = new String(head, at, head.length - at, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (start.startsWith("#ext") || start.startsWith("ffconcat")) {
            throw new RejectedException("playlist-not-accepted", "the file is a playlist or concat list ("
                    + (start.startsWith("#ext") ? "#EXT" : "ffconcat") + "), which names other files or URLs, not a video");
        }
    }

    private record Refusal(String reason, String message) {
    }

    /** Why the probe's codecs cannot be streamed as they are, or null. */
    private static Refusal unplayable(VideoProbe probe) {
        if (probe.video().unplayable() != null) {
            return new Refusal("video-codec-not-supported", probe.video().unplayable());
        }
        if (probe.audio() != null && probe.audio().unplayable() != null) {
            return new Refusal("audio-codec-not-supported", probe.audio().unplayable());
        }
        return null;
    }

    /** MOV when the file type box names QuickTime (or there is none, as in old QuickTime files), else MP4. */
    private static String isoContainer(Path file) throws IOException {
        byte[] head = new byte[12];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 12) < 12) {
                return "MP4";
            }
        }
        String box = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return !box.equals("ftyp") || brand.equals("qt  ") ? "MOV" : "MP4";
    }
}
