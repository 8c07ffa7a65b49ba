package dev.mediapipeline;

import dev.mediapipeline.app.cli.IngestCommand;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * media-pipeline. With no arguments: the server (tus staging uploads under /uploads, actuator).
 * {@code ingest <folder>}: stage every file of a folder through the upload path, report, exit.
 */
@SpringBootApplication
@EnableScheduling
public class MediaPipelineApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ingest")) {
            if (args.length != 2) {
                System.err.println("usage: media ingest <folder>");
                System.exit(2);
            }
            SpringApplication application = new SpringApplication(MediaPipelineApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setBannerMode(Banner.Mode.OFF);
            // the command prints its own progress and summary; the log keeps to warnings
            application.setDefaultProperties(Map.of("logging.level.root", "WARN"));
            ConfigurableApplicationContext context = application.run();
            int code = context.getBean(IngestCommand.class).run(Path.of(args[1]));
            System.exit(SpringApplication.exit(context, () -> code));
        }
        SpringApplication.run(MediaPipelineApplication.class, args);
    }
}
