package dev.mediapipeline.processors.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.error.RejectedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Decoded pixels are reserved from the header's size before the decode. */
@Tag("fast")
class DecodeMemoryTest {

    @Test
    void anImageThatCouldNeverFitIsRefusedWithWhatItNeeds() {
        DecodeMemory memory = new DecodeMemory(128L << 20);
        // 7000 x 7000 decoded: 49 MP x 4 bytes x 3 copies, about 560 MB
        assertThatThrownBy(() -> memory.reserve(DecodeMemory.estimate(7000, 7000), "7000x7000"))
                .isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).reason()).isEqualTo("too-large-for-memory"))
                .hasMessageContaining("7000x7000").hasMessageContaining("560 MB").hasMessageContaining("128 MB");
    }

    @Test
    void aSecondLargeImageWaitsForTheFirstInsteadOfRunningTheHeapOut() throws Exception {
        DecodeMemory memory = new DecodeMemory(128L << 20);
        long large = 80L << 20;
        DecodeMemory.Reservation first = memory.reserve(large, "first");
        CompletableFuture<DecodeMemory.Reservation> second = CompletableFuture.supplyAsync(() -> {
            try {
                return memory.reserve(large, "second");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!memory.waiting()) {
            Thread.onSpinWait(); // until the second is queued for room
        }
        assertThat(second).isNotDone();
        first.close();
        second.get(10, TimeUnit.SECONDS).close();
        first.close(); // a second close releases nothing twice
        try (DecodeMemory.Reservation whole = memory.reserve(128L << 20, "the whole budget")) {
            assertThat(memory.waiting()).isFalse();
        }
    }
}
