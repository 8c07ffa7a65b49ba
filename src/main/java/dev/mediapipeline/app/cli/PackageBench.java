package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.media.VideoProbe;
import dev.mediapipeline.core.media.VideoProfile;
import dev.mediapipeline.processors.video.Ffmpeg;
import dev.mediapipeline.processors.video.FfmpegLadder;
import dev.mediapipeline.processors.video.StreamPackager;
import dev.mediapipeline.processors.video.VideoProbeProcessor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;

/**
 * {@code bench-package [--ladder 1080,720,360] FILE...}: for bench/video.sh, no Spring, no services.
 * Per file, our passthrough packaging (probe, CMAF segments, HLS and DASH) beside
 * {@code ffmpeg -c copy -f hls -hls_segment_type fmp4} on the same file (best of three, alternating),
 * then the ratio and our peak heap. Ours is timed inside this JVM, ffmpeg around its process, so
 * ffmpeg's figure includes its start (under 0.1 s): that dominates the small corpus files, and the
 * long file is the comparison that counts.
 * With {@code --ladder}: our ladder (one ffmpeg encode, then our packaging) beside ffmpeg encoding
 * the same rungs straight to HLS alone.
 */
public final class PackageBench {

    private PackageBench() {
    }

    public static int run(List<String> args) throws Exception {
        List<Integer> ladder = List.of();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--ladder")) {
                ladder = java.util.Arrays.stream(args.get(++i).split(",")).map(Integer::parseInt).toList();
            } else {
                files.add(Path.of(args.get(i)));
            }
        }
        VideoProfile profile = VideoProfile.defaults();
        Path work = Files.createTempDirectory("media-bench-package");
        try {
            for (Path file : files) {
                if (ladder.isEmpty()) {
                    passthrough(file, profile, work);
                } else {
                    ladder(file, profile, ladder, work);
                }
            }
        } finally {
            FileSystemUtils.deleteRecursively(work);
        }
        return 0;
    }

    private static void passthrough(Path file, VideoProfile profile, Path work) throws Exception {
        StreamPackager packager = new StreamPackager(profile.segmentDuration());
        double ours = Double.MAX_VALUE;
        double ffmpeg = Double.MAX_VALUE;
        int segments = 0;
        resetPeaks();
        for (int round = 0; round < 3; round++) {
            Path out = fresh(work.resolve("ours"));
            long t0 = System.nanoTime();
            VideoProbeProcessor.probe(file, "MP4");
            segments = packager.packageStreams(List.of(new StreamPackager.VideoInput("video", file)), out).segments();
            ours = Math.min(ours, (System.nanoTime() - t0) / 1e9);
            Path theirs = fresh(work.resolve("ffmpeg"));
            ffmpeg = Math.min(ffmpeg, time(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", file.toString(),
                    "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy", "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "4",
                    "-hls_playlist_type", "vod", "-hls_fmp4_init_filename", "init.mp4", theirs.resolve("index.m3u8").toString())));
        }
        long size = Files.size(file);
        System.out.printf(Locale.ROOT, "passthrough file=%s mb=%.1f segments=%d ours_s=%.3f ffmpeg_copy_hls_s=%.3f ours_mb_per_s=%.0f"
                + " ffmpeg_mb_per_s=%.0f speed_vs_ffmpeg=%.2fx peak_heap_mb=%d%n", file.getFileName(), size / 1e6, segments, ours, ffmpeg,
                size / 1e6 / ours, size / 1e6 / ffmpeg, ffmpeg / ours, peakHeapMb());
    }

    private static void ladder(Path file, VideoProfile profile, List<Integer> ladder, Path work) throws Exception {
        Ffmpeg ffmpeg = Ffmpeg.find(profile);
        if (ffmpeg == null) {
            throw new IllegalStateException("the ladder benchmark needs ffmpeg");
        }
        VideoProbe probe = VideoProbeProcessor.probe(file, "MP4");
        List<Integer> rungs = FfmpegLadder.rungs(ladder, probe);
        Path out = fresh(work.resolve("ladder"));
        long t0 = System.nanoTime();
        var inputs = new FfmpegLadder(ffmpeg).encode(file, probe, ladder, Files.createDirectories(out.resolve("rungs")));
        double encode = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        new StreamPackager(profile.segmentDuration()).packageStreams(inputs, Files.createDirectories(out.resolve("stream")));
        double packaging = (System.nanoTime() - t1) / 1e9;

        // ffmpeg alone: the same rungs, the same encoder settings, straight to fMP4 HLS with a master playlist
        Path theirs = fresh(work.resolve("ffmpeg-ladder"));
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", file.toString()));
        StringBuilder split = new StringBuilder("[0:v]split=" + rungs.size());
        for (int i = 0; i < rungs.size(); i++) {
            split.append("[s").append(i).append(']');
        }
        int shorter = Math.min(probe.displayWidth(), probe.displayHeight());
        for (int i = 0; i < rungs.size(); i++) {
            split.append(";[s").append(i).append(rungs.get(i) == shorter ? "]null" : "]scale=-2:" + rungs.get(i)).append("[v").append(i).append(']');
        }
        command.addAll(List.of("-filter_complex", split.toString()));
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < rungs.size(); i++) {
            command.addAll(List.of("-map", "[v" + i + "]"));
            map.append(i == 0 ? "" : " ").append("v:").append(i).append(i == 0 && probe.audio() != null ? ",a:0" : "");
        }
        if (probe.audio() != null) {
            command.addAll(List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"));
        }
        for (int i = 0; i < rungs.size(); i++) {
            command.addAll(List.of("-crf:v:" + i, String.valueOf(FfmpegLadder.crf(rungs.get(i)))));
        }
        command.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-force_key_frames", "expr:gte(t,n_forced*4)", "-sc_threshold", "0", "-flags", "+cgop", "-f", "hls", "-hls_segment_type", "fmp4",
                "-hls_time", "4", "-hls_playlist_type", "vod", "-master_pl_name", "master.m3u8", "-var_stream_map", map.toString(),
                theirs.resolve("v%v.m3u8").toString()));
        double alone = time(command);
        System.out.printf(Locale.ROOT, "ladder file=%s seconds_of_video=%.1f rungs=%s ours_encode_s=%.2f ours_package_s=%.2f ours_total_s=%.2f"
                + " ffmpeg_alone_s=%.2f ours_vs_ffmpeg=%.2fx realtime=%.2fx%n", file.getFileName(), probe.durationSeconds(), rungs, encode,
                packaging, encode + packaging, alone, alone / (encode + packaging), probe.durationSeconds() / (encode + packaging));
    }

    private static double time(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Path fresh(Path dir) throws IOException {
        FileSystemUtils.deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMb() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024 * 1024);
    }
}
