package dev.mediapipeline;

import dev.mediapipeline.app.cli.BenchCommand;
import dev.mediapipeline.app.cli.FailuresCommand;
import dev.mediapipeline.app.cli.IngestCommand;
import dev.mediapipeline.app.cli.KeysCommand;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * media-pipeline. With no arguments: the server (tus staging uploads under /uploads, actuator).
 * {@code ingest <folder>}: stage every file of a folder through the upload path, run the ingest job,
 * report, exit ({@code --tenant NAME}: whose uploads they are). {@code keys create|list|revoke}: API keys
 * from the command line. {@code bench-ingest <folder>}: the same, timed, for the benchmarks. {@code bench-package
 * FILE...}: video packaging beside ffmpeg, for bench/video.sh. {@code failures [--class C] [--tenant NAME]
 * [--limit N] [--all]}: the failure ledger, read only. {@code worker}: a worker JVM that runs partitions it takes from the
 * broker (remote partitioning). {@code workers}: the live workers and what they run.
 */
@SpringBootApplication
public class MediaPipelineApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bench-package")) {
            System.exit(dev.mediapipeline.app.cli.PackageBench.run(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("ingest") || args[0].equals("bench-ingest"))) {
            if (args.length < 2 || args[1].startsWith("--")) {
                System.err.println("usage: media " + args[0] + " <folder> [--tenant NAME] [--property=value ...]");
                System.exit(2);
            }
            List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
            // --tenant NAME (or --tenant=NAME): whose uploads and assets these are; "default" unless said
            int tenant = rest.indexOf("--tenant");
            if (tenant >= 0) {
                if (tenant + 1 >= rest.size()) {
                    System.err.println("media " + args[0] + ": --tenant needs a name");
                    System.exit(2);
                }
                rest.set(tenant, "--media.cli.tenant=" + rest.get(tenant + 1));
                rest.remove(tenant + 1);
            }
            rest.replaceAll(a -> a.startsWith("--tenant=") ? "--media.cli.tenant=" + a.substring("--tenant=".length()) : a);
            Path folder = Path.of(args[1]);
            boolean bench = args[0].equals("bench-ingest");
            exit(command(rest), context -> bench ? context.getBean(BenchCommand.class).run(folder)
                    : context.getBean(IngestCommand.class).run(folder));
        }
        if (args.length > 0 && args[0].equals("fuzz")) {
            // --per-file N, --seed S, --files K, --corpus DIR, --item-bound 120s: media.fuzz.*; the mutants filed under tenant "fuzz"
            List<String> rest = new ArrayList<>(List.of("--media.cli.tenant=fuzz"));
            List<String> options = List.of("--per-file", "--seed", "--files", "--corpus", "--item-bound");
            for (int i = 1; i < args.length; i++) {
                if (options.contains(args[i]) && i + 1 < args.length) {
                    rest.add("--media.fuzz." + args[i].substring(2) + "=" + args[++i]);
                } else if (options.stream().anyMatch(args[i]::startsWith) && args[i].contains("=")) {
                    rest.add("--media.fuzz." + args[i].substring(2));
                } else if ((args[i].startsWith("--media.") || args[i].startsWith("--spring.")) && args[i].contains("=")) {
                    rest.add(args[i]);
                } else {
                    System.err.println("usage: media fuzz [--per-file N] [--seed S] [--files K] [--corpus DIR] [--item-bound 120s]");
                    System.exit(2);
                }
            }
            exit(command(rest), context -> context.getBean(dev.mediapipeline.app.cli.FuzzCommand.class).run());
        }
        if (args.length > 0 && args[0].equals("keys")) {
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            exit(command(List.of()), context -> context.getBean(KeysCommand.class).run(rest));
        }
        if (args.length > 0 && args[0].equals("failures")) {
            // its options to the command; --media.*=, --spring.*= settings (another database, say) to its context
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            exit(command(FailuresCommand.settings(rest)),
                    context -> context.getBean(FailuresCommand.class).run(FailuresCommand.options(rest)));
        }
        if (args.length > 0 && args[0].equals("worker")) {
            // a worker JVM: no web server, no schedules; it takes partitions from the broker until stopped
            SpringApplication application = new SpringApplication(MediaPipelineApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setDefaultProperties(Map.of("spring.quartz.auto-startup", "false", "media.workers.role", "worker",
                    "spring.main.keep-alive", "true"));
            application.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("bench-workers")) {
            // bench-workers FOLDER --workers N [--property=value ...]: bench/workers.sh's manager
            if (args.length < 4 || !args[2].equals("--workers") || !args[3].matches("[1-9]")) {
                System.err.println("usage: media bench-workers <folder> --workers N [--property=value ...]");
                System.exit(2);
            }
            Path folder = Path.of(args[1]);
            int workers = Integer.parseInt(args[3]);
            exit(command(Arrays.asList(args).subList(4, args.length)), context -> context.getBean(dev.mediapipeline.app.cli.WorkersBench.class)
                    .run(folder, workers, context.getBean(dev.mediapipeline.core.config.MediaProperties.class).home().resolve("bench-logs")));
        }
        if (args.length > 0 && args[0].equals("workers")) {
            exit(command(Arrays.asList(args).subList(1, args.length)),
                    context -> context.getBean(dev.mediapipeline.app.worker.WorkersCommand.class).run(System.out));
        }
        SpringApplication.run(MediaPipelineApplication.class, args);
    }

    /** A one-off command: no web server, the log kept to warnings, and the schedules never fired (that is the server's work). */
    private static ConfigurableApplicationContext command(List<String> springArgs) {
        SpringApplication application = new SpringApplication(MediaPipelineApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setDefaultProperties(Map.of("logging.level.root", "WARN", "spring.quartz.auto-startup", "false"));
        return application.run(springArgs.toArray(String[]::new));
    }

    private static void exit(ConfigurableApplicationContext context, Command command) {
        int code;
        try {
            code = command.run(context);
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        int exitCode = code;
        System.exit(SpringApplication.exit(context, () -> exitCode));
    }

    private interface Command {
        int run(ConfigurableApplicationContext context) throws Exception;
    }
}
