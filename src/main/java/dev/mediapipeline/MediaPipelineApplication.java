package dev.mediapipeline;

import dev.mediapipeline.app.cli.BenchCommand;
import dev.mediapipeline.app.cli.IngestCommand;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * media-pipeline. With no arguments: the server (tus staging uploads under /uploads, actuator).
 * {@code ingest <folder>}: stage every file of a folder through the upload path, run the ingest job,
 * report, exit. {@code bench-ingest <folder>}: the same, timed, for the benchmarks. {@code bench-package
 * FILE...}: video packaging beside ffmpeg, for bench/video.sh.
 */
@SpringBootApplication
@EnableScheduling
public class MediaPipelineApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bench-package")) {
            System.exit(dev.mediapipeline.app.cli.PackageBench.run(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("ingest") || args[0].equals("bench-ingest"))) {
            if (args.length < 2 || args[1].startsWith("--")) {
                System.err.println("usage: media " + args[0] + " <folder> [--property=value ...]");
                System.exit(2);
            }
            SpringApplication application = new SpringApplication(MediaPipelineApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setBannerMode(Banner.Mode.OFF);
            // the command prints its own progress and summary; the log keeps to warnings
            // and a one-off command never fires the schedules: that is the server's work
            application.setDefaultProperties(Map.of("logging.level.root", "WARN", "spring.quartz.auto-startup", "false"));
            ConfigurableApplicationContext context = application.run(Arrays.copyOfRange(args, 2, args.length));
            int code;
            try {
                code = args[0].equals("ingest") ? context.getBean(IngestCommand.class).run(Path.of(args[1]))
                        : context.getBean(BenchCommand.class).run(Path.of(args[1]));
            } catch (Exception e) {
                e.printStackTrace();
                code = 1;
            }
            int exitCode = code;
            System.exit(SpringApplication.exit(context, () -> exitCode));
        }
        SpringApplication.run(MediaPipelineApplication.class, args);
    }
}
