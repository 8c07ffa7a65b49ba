package dev.mediapipeline.jobs.control;

import dev.mediapipeline.core.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Timer;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.support.CompositeItemWriter;

/** Stages of the item pipeline timed into {@code media.stage} (a histogram per stage), whatever their outcome. */
public final class Stages {

    private Stages() {
    }

    /** {@code processor}, each call timed as {@code stage}. */
    public static <I, O> ItemProcessor<I, O> timed(PipelineMetrics metrics, String stage, ItemProcessor<I, O> processor) {
        Timer timer = metrics.stage(stage);
        return item -> {
            Timer.Sample sample = Timer.start();
            try {
                return processor.process(item);
            } finally {
                sample.stop(timer);
            }
        };
    }

    /** The writers of a chunk, one after the other, each chunk's writing timed as {@code stage}. */
    @SafeVarargs
    public static <T> CompositeItemWriter<T> timed(PipelineMetrics metrics, String stage, org.springframework.batch.infrastructure.item.ItemWriter<? super T>... writers) {
        Timer timer = metrics.stage(stage);
        java.util.List<org.springframework.batch.infrastructure.item.ItemWriter<? super T>> delegates = java.util.List.of(writers);
        return new CompositeItemWriter<T>(delegates) {
            @Override
            public void write(Chunk<? extends T> chunk) throws Exception {
                Timer.Sample sample = Timer.start();
                try {
                    super.write(chunk);
                } finally {
                    sample.stop(timer);
                }
            }
        };
    }
}
