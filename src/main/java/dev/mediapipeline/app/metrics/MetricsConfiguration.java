package dev.mediapipeline.app.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every meter the application exposes keeps Prometheus' conventions, so that {@code promtool check
 * metrics} accepts the whole scrape (the pipeline's own {@code media_*} meters are written so; this
 * brings the framework's in line):
 * <ul>
 * <li>a help text on every meter (Spring's observation timers have none: their name, in words);</li>
 * <li>snake_case names (Spring Security names a counter after each filter class:
 * {@code spring_security_filterchains_SignedUrlFilter_before} becomes {@code ..._signed_url_filter_before});</li>
 * <li>no abbreviated units and no {@code _count} suffix on a gauge: {@code jvm.compilation.time} (ms)
 * and {@code process.cpu.time} (ns) are left out ({@code process_cpu_usage} stays), and
 * {@code system.cpu.count} is {@code system_cpus}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    static final Set<String> LEFT_OUT = Set.of("jvm.compilation.time", "process.cpu.time");

    /**
     * Every meter carries {@code worker}: {@code media.workers.name}, the name this process runs
     * partitions under and that {@code ./media workers} and the executions' reports give, so that a
     * worker JVM's series and the server's are told apart when they are added up; unnamed, the host's
     * name (not its process id, which would start new series at every restart).
     */
    @Bean
    MeterFilter workerTag(dev.mediapipeline.jobs.remote.WorkerProperties workers) {
        return MeterFilter.commonTags(Tags.of("worker", workers.metricsTag()));
    }

    @Bean
    MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return LEFT_OUT.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String name = id.getName().equals("system.cpu.count") ? "system.cpus" : snakeCase(id.getName());
                String description = id.getDescription() != null && !id.getDescription().isBlank() ? id.getDescription()
                        : name.replace('.', ' ').replace('_', ' ');
                if (name.equals(id.getName()) && description.equals(id.getDescription())) {
                    return id;
                }
                return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    /** {@code a.SignedUrlFilter.b} as {@code a.signed_url_filter.b}. */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
