package dev.mediapipeline.processors.video;

import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.ImageFormat;
import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.media.ProbedVideo;
import dev.mediapipeline.core.media.PublishedOriginal;
import dev.mediapipeline.core.media.RenditionFile;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.ValidatedImage;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.core.media.Workspace;
import dev.mediapipeline.core.storage.Sha256;
import dev.mediapipeline.processors.render.ImageRenditionsProcessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.util.FileSystemUtils;

/**
 * Makes a probed video streamable: its poster frame through the same image renditions as photos, and
 * its HLS and DASH packages over one set of CMAF segments, all in the upload's workspace. Written
 * again from scratch on every attempt, so a retry or restart never mixes two runs' files.
 */
public class VideoPackagingProcessor implements ItemProcessor<ProbedVideo, PackagedVideo> {

    private static final String TOOLS = "jcodec " + version() + " (probe, poster frame); media-pipeline CMAF packager v1";

    private final VideoProfile profile;
    private final ImageRenditionsProcessor posterRenditions;
    private final Path tempDirectory;
    private final StreamPackager packager;
    private final FfmpegLadder ladder;
    private final String ffmpegVersion;

    /** Passthrough only: the uploaded (or transcoded) encoding is packaged as it is. */
    public VideoPackagingProcessor(VideoProfile profile, ImageRenditionsProcessor posterRenditions, Path tempDirectory) {
        this(profile, posterRenditions, tempDirectory, null);
    }

    /** @param ffmpeg encodes the profile's ladder; null when there is none (passthrough, said in the metadata) */
    public VideoPackagingProcessor(VideoProfile profile, ImageRenditionsProcessor posterRenditions, Path tempDirectory, Ffmpeg ffmpeg) {
        this.profile = profile;
        this.posterRenditions = posterRenditions;
        this.tempDirectory = tempDirectory;
        this.packager = new StreamPackager(profile.segmentDuration());
        this.ladder = ffmpeg == null ? null : new FfmpegLadder(ffmpeg);
        this.ffmpegVersion = ffmpeg == null ? null : ffmpeg.version();
    }

    @Override
    public PackagedVideo process(ProbedVideo video) throws IOException {
        long started = System.nanoTime();
        AssembledFile upload = video.file();
        Path workspace = Workspace.of(tempDirectory, upload.upload().uploadId());
        Path stream = workspace.resolve("stream");
        FileSystemUtils.deleteRecursively(stream);
        Files.createDirectories(stream);

        List<RenditionFile> poster = poster(video, workspace);
        List<StreamPackager.VideoInput> inputs;
        String packaging;
        String tools = TOOLS;
        if (!profile.ladder().isEmpty() && ladder != null) {
            Path rungs = workspace.resolve("ladder");
            FileSystemUtils.deleteRecursively(rungs);
            Files.createDirectories(rungs);
            inputs = ladder.encode(video.file().file(), video.probe(), profile.ladder(), rungs);
            packaging = "ladder: " + inputs.stream().map(StreamPackager.VideoInput::name).toList() + " encoded by ffmpeg from the upload";
            tools += "; " + ffmpegVersion + " (libx264, aac)";
        } else {
            inputs = List.of(new StreamPackager.VideoInput("video", video.source()));
            packaging = video.transcoded() == null
                    ? "passthrough: the uploaded " + video.probe().video().codecName() + " is packaged as it is"
                    : "transcoded to H.264/AAC by ffmpeg, because " + video.transcoded();
            if (!profile.ladder().isEmpty()) {
                packaging += "; the profile asks for a ladder " + profile.ladder() + " but ffmpeg is not available, so one rendition";
            }
            if (video.transcoded() != null && ffmpegVersion != null) {
                tools += "; " + ffmpegVersion + " (libx264, aac)";
            }
        }
        StreamPackager.Result packaged = packager.packageStreams(inputs, stream);
        PublishedOriginal original = new PublishedOriginal(upload.file(), upload.size(), upload.sha256(),
                "MOV".equals(video.probe().container()) ? "video/quicktime" : "video/mp4");
        return new PackagedVideo(video, original, poster, packaged.files(), packaging, packaged.heights(), packaged.segments(),
                profile.hash(), tools, (System.nanoTime() - started) / 1_000_000);
    }

    private List<RenditionFile> poster(ProbedVideo video, Path workspace) throws IOException {
        Path png = workspace.resolve("poster.png");
        int width = video.probe().video().width();
        int height = video.probe().video().height();
        int frameWidth;
        int frameHeight;
        // JCodec decodes the frame at the stream's coded size (within the probe's budget): its heap is reserved first,
        // and released before the renditions reserve their own (never one held while waiting for another)
        try (var memory = dev.mediapipeline.processors.render.DecodeMemory.PROCESS.reserve(
                dev.mediapipeline.processors.render.DecodeMemory.estimate(width, height), "the poster frame at " + width + "x" + height)) {
            BufferedImage frame = PosterFrame.grab(video.source(), video.probe(), profile.posterPosition());
            ImageIO.write(frame, "png", png.toFile());
            frameWidth = frame.getWidth();
            frameHeight = frame.getHeight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for memory to decode the poster");
        }
        long size = Files.size(png);
        AssembledFile file = new AssembledFile(video.file().upload(), png, size, Sha256.ofFile(png));
        ValidatedImage image = new ValidatedImage(new ScannedFile(file, video.scanned().scanEngine()), ImageFormat.PNG,
                frameWidth, frameHeight, 1, size);
        return posterRenditions.process(image).renditions();
    }

    /** JCodec's version from its jar's manifest. */
    private static String version() {
        Package p = org.jcodec.api.FrameGrab.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "0.2.5" : v;
    }
}
