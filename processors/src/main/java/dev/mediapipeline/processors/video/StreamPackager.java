package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.StreamFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jcodec.containers.mp4.boxes.TrakBox;

/**
 * Packages H.264/AAC MP4 files into one set of CMAF segments and the two manifests over them: an HLS
 * master playlist with a media playlist per track, and a DASH MPD. Each video rendition is cut at its
 * sync samples, at the first one at or after the target duration; the audio is cut at the same
 * instants, so every segment of every track covers the same time. Nothing is decoded; sample bytes
 * are copied from the source file to the segment files.
 */
public final class StreamPackager {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String MANIFEST_CACHE = "public, max-age=60";

    /** One video rendition to package: an MP4 with an H.264 track, named by its directory. */
    public record VideoInput(String name, Path file) {
    }

    private final Duration target;

    public StreamPackager(Duration target) {
        this.target = target;
    }

    /** What was packaged: every file in publishing order, and the segment count of the first rendition. */
    public record Result(List<StreamFile> files, int segments, List<Integer> heights) {
    }

    private record Track(String dir, boolean video, TrakBox trak, SampleTable samples, SampleEntries.Codec codec,
            List<int[]> segments, List<Long> segmentBytes, int width, int height, int channels, int sampleRate) {

        double seconds(int[] segment) {
            return (double) samples.duration(segment[0], segment[1]) / samples.timescale;
        }

        long peakBandwidth() {
            long peak = 0;
            for (int i = 0; i < segments.size(); i++) {
                double s = seconds(segments.get(i));
                if (s > 0) {
                    peak = Math.max(peak, (long) Math.ceil(segmentBytes.get(i) * 8 / s));
                }
            }
            return Math.max(1, peak);
        }

        long averageBandwidth() {
            double s = (double) samples.duration(0, samples.count) / samples.timescale;
            long bytes = segmentBytes.stream().mapToLong(Long::longValue).sum();
            return Math.max(1, s > 0 ? (long) Math.ceil(bytes * 8 / s) : bytes * 8);
        }
    }

    /**
     * @param videos the video renditions, highest first; the audio is taken from the first that has it
     */
    public Result packageStreams(List<VideoInput> videos, Path out) throws IOException {
        List<StreamFile> segmentsAndInits = new ArrayList<>();
        List<StreamFile> playlists = new ArrayList<>();
        List<Track> videoTracks = new ArrayList<>();
        Track audio = null;
        List<int[]> firstCuts = null;
        for (VideoInput input : videos) {
            Mp4Movie movie = Mp4Movie.open(input.file());
            TrakBox v = movie.first("vide");
            if (v == null) {
                throw new IOException(input.file() + " has no video track");
            }
            SampleTable vs = SampleTable.of(v);
            List<int[]> cuts = cutAtKeyframes(vs);
            videoTracks.add(write(input.file(), movie, v, vs, true, input.name(), cuts, out, segmentsAndInits));
            if (firstCuts == null) {
                firstCuts = cuts;
            }
            TrakBox a = movie.first("soun");
            if (audio == null && a != null) {
                SampleTable as = SampleTable.of(a);
                List<int[]> audioCuts = alignTo(vs, cuts, as);
                audio = write(input.file(), movie, a, as, false, "audio", audioCuts, out, segmentsAndInits);
            }
        }
        for (Track track : videoTracks) {
            playlists.add(text(out, track.dir + "/playlist.m3u8", mediaPlaylist(track), "application/vnd.apple.mpegurl"));
        }
        if (audio != null) {
            playlists.add(text(out, audio.dir + "/playlist.m3u8", mediaPlaylist(audio), "application/vnd.apple.mpegurl"));
        }
        playlists.add(text(out, PackagedVideo.DASH_MANIFEST, mpd(videoTracks, audio), "application/dash+xml"));
        playlists.add(text(out, PackagedVideo.MASTER_PLAYLIST, master(videoTracks, audio), "application/vnd.apple.mpegurl"));
        List<StreamFile> files = new ArrayList<>(segmentsAndInits);
        files.addAll(playlists);
        return new Result(files, firstCuts.size(), videoTracks.stream().map(t -> rotatedHeight(t)).toList());
    }

    private static int rotatedHeight(Track t) {
        int rotation = Mp4Movie.rotation(t.trak);
        return rotation % 180 == 0 ? t.height : t.width;
    }

    /** Segments [from, to) of a video track: a new one starts at the first sync sample at or after the target. */
    List<int[]> cutAtKeyframes(SampleTable vs) {
        long targetTicks = target.toMillis() * vs.timescale / 1000;
        List<int[]> cuts = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < vs.count; i++) {
            if (vs.sync.get(i) && vs.decodeTime[i] - vs.decodeTime[start] >= targetTicks) {
                cuts.add(new int[] {start, i});
                start = i;
            }
        }
        cuts.add(new int[] {start, vs.count});
        return cuts;
    }

    /** The audio cut at the first of its samples at or after each video segment's start. */
    private static List<int[]> alignTo(SampleTable vs, List<int[]> videoCuts, SampleTable as) {
        List<int[]> cuts = new ArrayList<>();
        int start = 0;
        for (int k = 1; k < videoCuts.size(); k++) {
            double at = (double) vs.decodeTime[videoCuts.get(k)[0]] / vs.timescale;
            int end = start;
            while (end < as.count && (double) as.decodeTime[end] / as.timescale < at) {
                end++;
            }
            cuts.add(new int[] {start, end});
            start = end;
        }
        cuts.add(new int[] {start, as.count});
        return cuts;
    }

    private Track write(Path file, Mp4Movie movie, TrakBox trak, SampleTable samples, boolean video, String dir, List<int[]> cuts,
            Path out, List<StreamFile> files) throws IOException {
        Files.createDirectories(out.resolve(dir));
        SampleEntries.Codec codec = video ? SampleEntries.video(movie.rawSampleDescription(trak))
                : SampleEntries.audio(movie.rawSampleDescription(trak));
        long shift = video ? Mp4Movie.mediaStart(trak) : 0;
        CmafTrackWriter writer = new CmafTrackWriter(video, samples, shift);
        var header = trak.getTrackHeader();
        byte[] init = writer.initSegment(movie.rawSampleDescription(trak), header.getMatrix(),
                Math.round(header.getWidth() * 65536.0), Math.round(header.getHeight() * 65536.0));
        Path initFile = out.resolve(dir).resolve("init.mp4");
        Files.write(initFile, init);
        files.add(new StreamFile(dir + "/init.mp4", initFile, init.length, video ? "video/mp4" : "audio/mp4", IMMUTABLE));
        List<Long> bytes = new ArrayList<>();
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int k = 0; k < cuts.size(); k++) {
                String name = segmentName(k + 1);
                Path segment = out.resolve(dir).resolve(name);
                long size = writer.writeSegment(source, k + 1, cuts.get(k)[0], cuts.get(k)[1], segment);
                bytes.add(size);
                files.add(new StreamFile(dir + "/" + name, segment, size, video ? "video/iso.segment" : "audio/mp4", IMMUTABLE));
            }
        }
        var entry = trak.getSampleEntries()[0];
        int channels = entry instanceof org.jcodec.containers.mp4.boxes.AudioSampleEntry a ? a.getChannelCount() : 0;
        int rate = entry instanceof org.jcodec.containers.mp4.boxes.AudioSampleEntry a ? Math.round(a.getSampleRate()) : 0;
        if (!video && rate == 0) {
            rate = samples.timescale;
        }
        // the presentation size (pixel aspect applied, before rotation), as the track header gives it
        int width = video ? Math.round(header.getWidth()) : 0;
        int height = video ? Math.round(header.getHeight()) : 0;
        return new Track(dir, video, trak, samples, codec, cuts, bytes, width, height, channels, rate);
    }

    static String segmentName(int number) {
        return String.format(Locale.ROOT, "seg-%05d.m4s", number);
    }

    private static StreamFile text(Path out, String path, String content, String type) throws IOException {
        Path file = out.resolve(path);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return new StreamFile(path, file, bytes.length, type, MANIFEST_CACHE);
    }

    private static String mediaPlaylist(Track track) {
        double longest = 0;
        StringBuilder segments = new StringBuilder();
        for (int k = 0; k < track.segments.size(); k++) {
            double s = track.seconds(track.segments.get(k));
            longest = Math.max(longest, s);
            segments.append(String.format(Locale.ROOT, "#EXTINF:%.6f,%n%s%n", s, segmentName(k + 1)));
        }
        return "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + Math.max(1, (long) Math.ceil(longest - 1e-9))
                + "\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
                + segments + "#EXT-X-ENDLIST\n";
    }

    private static String master(List<Track> videos, Track audio) {
        StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (audio != null) {
            m.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"default\",LANGUAGE=\"und\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"")
                    .append(Math.max(1, audio.channels)).append("\",URI=\"").append(audio.dir).append("/playlist.m3u8\"\n");
        }
        for (Track v : videos) {
            long peak = v.peakBandwidth() + (audio == null ? 0 : audio.peakBandwidth());
            long average = v.averageBandwidth() + (audio == null ? 0 : audio.averageBandwidth());
            int rotation = Mp4Movie.rotation(v.trak);
            int w = rotation % 180 == 0 ? v.width : v.height;
            int h = rotation % 180 == 0 ? v.height : v.width;
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(peak).append(",AVERAGE-BANDWIDTH=").append(average)
                    .append(",CODECS=\"").append(v.codec.codec()).append(audio == null ? "" : "," + audio.codec.codec()).append('"')
                    .append(",RESOLUTION=").append(w).append('x').append(h)
                    .append(String.format(Locale.ROOT, ",FRAME-RATE=%.3f", frameRate(v)));
            if (audio != null) {
                m.append(",AUDIO=\"audio\"");
            }
            m.append('\n').append(v.dir).append("/playlist.m3u8\n");
        }
        return m.toString();
    }

    private static double frameRate(Track v) {
        double s = (double) v.samples.duration(0, v.samples.count) / v.samples.timescale;
        return s > 0 ? v.samples.count / s : 0;
    }

    /** DASH wants an integer or a fraction (25, 30000/1001), to a thousandth of a frame per second. */
    private static String dashFrameRate(Track v) {
        long milli = Math.round(frameRate(v) * 1000);
        long gcd = java.math.BigInteger.valueOf(milli).gcd(java.math.BigInteger.valueOf(1000)).longValue();
        if (gcd == 0) {
            return "0";
        }
        return 1000 / gcd == 1 ? String.valueOf(milli / gcd) : (milli / gcd) + "/" + (1000 / gcd);
    }

    private static String mpd(List<Track> videos, Track audio) {
        double duration = 0;
        for (Track v : videos) {
            duration = Math.max(duration, (double) v.samples.duration(0, v.samples.count) / v.samples.timescale);
        }
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"")
                .append(" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\"")
                .append(String.format(Locale.ROOT, " mediaPresentationDuration=\"PT%.3fS\"", duration))
                .append(" minBufferTime=\"PT").append(Math.max(1, videos.getFirst().segments.stream()
                        .mapToDouble(videos.getFirst()::seconds).map(Math::ceil).max().orElse(1))).append("S\">\n")
                .append("  <Period id=\"0\" start=\"PT0S\">\n");
        x.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
        for (Track v : videos) {
            int rotation = Mp4Movie.rotation(v.trak);
            int w = rotation % 180 == 0 ? v.width : v.height;
            int h = rotation % 180 == 0 ? v.height : v.width;
            x.append("      <Representation id=\"").append(v.dir).append("\" codecs=\"").append(v.codec.codec())
                    .append("\" bandwidth=\"").append(v.peakBandwidth()).append("\" width=\"").append(w).append("\" height=\"").append(h)
                    .append("\" frameRate=\"").append(dashFrameRate(v)).append("\">\n");
            template(x, v);
            x.append("      </Representation>\n");
        }
        x.append("    </AdaptationSet>\n");
        if (audio != null) {
            x.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"und\" segmentAlignment=\"true\" startWithSAP=\"1\">\n")
                    .append("      <Representation id=\"").append(audio.dir).append("\" codecs=\"").append(audio.codec.codec())
                    .append("\" bandwidth=\"").append(audio.peakBandwidth()).append("\" audioSamplingRate=\"").append(audio.sampleRate)
                    .append("\">\n")
                    .append("        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
                    .append(Math.max(1, audio.channels)).append("\"/>\n");
            template(x, audio);
            x.append("      </Representation>\n    </AdaptationSet>\n");
        }
        x.append("  </Period>\n</MPD>\n");
        return x.toString();
    }

    private static void template(StringBuilder x, Track t) {
        x.append("        <SegmentTemplate timescale=\"").append(t.samples.timescale).append("\" initialization=\"").append(t.dir)
                .append("/init.mp4\" media=\"").append(t.dir).append("/seg-$Number%05d$.m4s\" startNumber=\"1\">\n")
                .append("          <SegmentTimeline>\n");
        for (int[] segment : t.segments) {
            x.append("            <S t=\"").append(t.samples.decodeTime[segment[0]]).append("\" d=\"")
                    .append(t.samples.duration(segment[0], segment[1])).append("\"/>\n");
        }
        x.append("          </SegmentTimeline>\n        </SegmentTemplate>\n");
    }
}
