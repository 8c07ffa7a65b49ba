package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.VideoProfile;
import java.io.IOException;
import java.nio.file.Path;

/** Re-encodes a video the packager cannot carry as it is into H.264 High and AAC LC in MP4. */
public interface VideoTranscoder {

    Path transcode(Path source, Path target, VideoProfile profile) throws IOException;
}
