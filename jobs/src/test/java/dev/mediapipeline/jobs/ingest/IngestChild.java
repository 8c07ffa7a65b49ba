package dev.mediapipeline.jobs.ingest;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs the ingest job in a JVM of its own, for a test to kill: arguments are Spring properties. */
public final class IngestChild {

    static final String RUNNING = "INGEST-CHILD-RUNNING";

    private IngestChild() {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IngestTestApplication.class).run(args);
        System.out.println(RUNNING);
        System.out.flush();
        context.getBean(JobOperator.class).start(context.getBean(IngestJobConfiguration.JOB, Job.class),
                new JobParametersBuilder().addString("run", "killed-" + System.nanoTime()).toJobParameters());
        context.close();
    }
}
