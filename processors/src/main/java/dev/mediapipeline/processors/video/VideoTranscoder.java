package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProfile;
import java.io.IOException;
import java.nio.file.Path;

/** Re-encodes a video the packager cannot carry as it is into H.264 High and AAC LC in MP4. */
public interface VideoTranscoder {

    /**
     * What a container other than MP4/MOV holds, from its headers, so that it is held to the budgets
     * before any of it is decoded; a file that cannot be read is refused as {@code corrupt}.
     *
     * @param demuxer the container the magic bytes showed, which is the only one it is read as
     */
    ContainerProbe probe(Path source, String demuxer) throws IOException;

    /** @param demuxer the container the magic bytes showed, which is the only one it is read as */
    Path transcode(Path source, String demuxer, Path target, VideoProfile profile) throws IOException;
}
