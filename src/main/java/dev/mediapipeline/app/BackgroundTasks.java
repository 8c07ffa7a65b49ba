package dev.mediapipeline.app;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The server's background duties on a timer ({@code @Scheduled}): CDN purge retries, usage flushes and
 * storage samples, the waiting-items gauge, expired uploads. Not in a worker JVM
 * ({@code media.workers.role=worker}), which only runs the partitions it takes from the broker: N workers
 * would do the server's rounds N times over.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnExpression("'${media.workers.role:}' != 'worker'")
public class BackgroundTasks {
}
