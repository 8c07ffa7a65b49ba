package dev.mediapipeline.app.worker;

import dev.mediapipeline.app.security.AccessProperties;
import dev.mediapipeline.core.tenant.Tenants;
import dev.mediapipeline.jobs.remote.PartitionWorker;
import dev.mediapipeline.jobs.remote.WorkerProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** A worker JVM's metrics endpoint, when {@code media.workers.metrics-port} is set. */
@Configuration(proxyBeanMethods = false)
class WorkerMetricsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${media.workers.role:}' == 'worker' and '${media.workers.metrics-port:}' != ''")
    WorkerMetricsServer workerMetricsServer(WorkerProperties workers, PrometheusMeterRegistry registry, Tenants tenants, AccessProperties access,
            PartitionWorker worker, JdbcTemplate jdbc) {
        return new WorkerMetricsServer(workers, registry, tenants, access, worker, jdbc);
    }
}
