package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encodes with ffmpeg to H.264 High (8-bit 4:2:0) and AAC LC in MP4: upright, square pixels, even
 * sizes, keyframes on segment boundaries. The input is read with the demuxer of the container it was
 * detected as, in ffmpeg's sandbox; a container other than MP4/MOV is first read by ffprobe, so that
 * the caller can hold it to the budgets before anything is decoded.
 */
public class FfmpegTranscoder implements VideoTranscoder {

    private final Ffmpeg ffmpeg;

    public FfmpegTranscoder(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    @Override
    public ContainerProbe probe(Path source, String demuxer) throws IOException {
        return ffmpeg.probe(source, demuxer);
    }

    @Override
    public Path transcode(Path source, String demuxer, Path target, VideoProfile profile) throws IOException {
        List<String> out = new ArrayList<>(List.of("-map", "0:V:0", "-map", "0:a:0?", "-map_metadata", "-1", "-sn", "-dn"));
        out.addAll(List.of("-vf", Ffmpeg.SQUARE_PIXELS + ",scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1")); // 4:2:0 needs even sizes
        out.addAll(ffmpeg.h264(20));
        out.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart"));
        out.addAll(ffmpeg.sizeCap());
        out.add("file:" + target.toAbsolutePath());
        ffmpeg.run(source, demuxer, out, target.resolveSibling("transcode.log"));
        return target;
    }
}
