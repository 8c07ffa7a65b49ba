package dev.mediapipeline.core.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests the S3 client sends, by operation, each attempt of a retried call
 * included: what an S3 provider bills and rate-limits ({@code media.s3.requests}, in Prometheus
 * {@code media_s3_requests_total{operation="PutObject"}}). The capacity model's S3 requests per item
 * are read from it.
 */
public final class S3RequestCounter implements ExecutionInterceptor {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public S3RequestCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counters.computeIfAbsent(operation == null ? "unknown" : operation, o -> Counter.builder("media.s3.requests")
                .description("HTTP requests sent to S3, by operation, retries included").tag("operation", o).register(registry)).increment();
    }
}
