package dev.mediapipeline.jobs.remote;

import dev.mediapipeline.core.embedded.EmbeddedBroker;
import java.time.Clock;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Remote partitioning over ActiveMQ Artemis. The broker is {@code media.broker.url} (an external
 * Artemis), or, for a manager without one, the embedded broker the application starts. A worker JVM
 * ({@code media.workers.role=worker}, what {@code ./media worker} sets) listens on
 * {@value WorkerProperties#QUEUE} with {@code media.workers.concurrency} consumers, one request each at
 * a time, acknowledged once its partition has ended.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class RemotePartitioningConfiguration {

    static final String USES_BROKER = "'${media.workers.mode:local}'.equalsIgnoreCase('remote') or '${media.workers.role:}' == 'worker'";
    static final String IS_WORKER = "'${media.workers.role:}' == 'worker'";

    @Bean
    Partitions partitions(WorkerProperties workers, ObjectProvider<JmsTemplate> jms, JobRepository jobs, JdbcTemplate jdbc, Clock clock) {
        return new Partitions(workers, jms, jobs, jdbc, clock);
    }

    /** The broker's connection factory: buffers no message for a consumer, so that each worker holds one request at a time. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(USES_BROKER)
    ActiveMQConnectionFactory brokerConnectionFactory(@Value("${media.broker.url:}") String url, ObjectProvider<EmbeddedBroker> embedded,
            WorkerProperties workers) {
        String address = url.isBlank() ? embedded.stream().findFirst().map(EmbeddedBroker::url).orElseThrow(() -> new IllegalStateException(
                "media.broker.url is not set: a worker connects to the manager's broker (./media serve with media.workers.mode=remote "
                        + "starts one on tcp://127.0.0.1:61616) or an external Artemis")) : url;
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(address);
        factory.setConsumerWindowSize(0);
        factory.setReconnectAttempts(-1);
        // the broker drops a silent client (and gives its unacknowledged request out again) within the lease timeout
        factory.setConnectionTTL(workers.leaseTimeout().toMillis());
        factory.setClientFailureCheckPeriod(Math.max(1000, workers.leaseTimeout().toMillis() / 3));
        return factory;
    }

    @Bean
    @ConditionalOnExpression(USES_BROKER)
    CachingConnectionFactory partitionRequestConnections(ActiveMQConnectionFactory brokerConnectionFactory) {
        return new CachingConnectionFactory(brokerConnectionFactory);
    }

    @Bean
    @ConditionalOnExpression(USES_BROKER)
    JmsTemplate partitionRequests(CachingConnectionFactory partitionRequestConnections) {
        JmsTemplate template = new JmsTemplate(partitionRequestConnections);
        template.setDeliveryPersistent(true);
        template.setExplicitQosEnabled(true);
        return template;
    }

    @Bean
    @ConditionalOnExpression(IS_WORKER)
    StepExecutionRequestHandler stepExecutionRequestHandler(JobRepository jobs, BeanFactory beans) {
        BeanFactoryStepLocator locator = new BeanFactoryStepLocator();
        locator.setBeanFactory(beans);
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(jobs);
        handler.setStepLocator(locator);
        return handler;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(IS_WORKER)
    PartitionWorker partitionWorker(WorkerProperties workers, StepExecutionRequestHandler handler, Partitions partitions, JobRepository jobs,
            JdbcTemplate jdbc, org.springframework.core.env.Environment environment) {
        // a worker shares the manager's services: on embedded ones of its own it would run against an empty database and store
        for (String shared : java.util.List.of("spring.datasource.url", "media.s3.endpoint", "media.broker.url")) {
            if (environment.getProperty(shared, "").isBlank()) {
                throw new IllegalStateException("a worker needs " + shared + ": the manager's database, S3 and broker, by URL "
                        + "(./media worker --spring.datasource.url=... --media.s3.endpoint=... --media.broker.url=...), or, on the machine "
                        + "of a ./media serve on the embedded defaults, the same media.home (its services.properties names them)");
            }
        }
        return new PartitionWorker(workers, handler, partitions, jobs, jdbc);
    }

    @Bean
    @ConditionalOnExpression(IS_WORKER)
    DefaultMessageListenerContainer partitionListener(ActiveMQConnectionFactory brokerConnectionFactory, PartitionWorker worker,
            WorkerProperties workers) {
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(brokerConnectionFactory);
        container.setDestinationName(WorkerProperties.QUEUE);
        container.setMessageListener(worker);
        // the request is acknowledged when the listener returns, its partition ended; a crash rolls it back to the queue
        container.setSessionTransacted(true);
        container.setConcurrentConsumers(workers.concurrency());
        container.setMaxConcurrentConsumers(workers.concurrency());
        container.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONSUMER);
        container.setReceiveTimeout(1000);
        return container;
    }
}
