package dev.mediapipeline.core.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Paths become what an edge keys on: encoded once, never twice; what a CDN would misread is refused. */
@Tag("fast")
class PurgeBatchTest {

    @Test
    void pathsAreEncodedAsAClientRequestsThem() {
        assertThat(PurgeBatch.encode("/media/a b/é.jpg")).isEqualTo("/media/a%20b/%C3%A9.jpg");
        assertThat(PurgeBatch.encode("/media/a%20b/%C3%A9.jpg")).as("already encoded: kept").isEqualTo("/media/a%20b/%C3%A9.jpg");
        assertThat(PurgeBatch.encode("/media/x/jpeg/320?exp=1700000000&sig=ab-_c")).isEqualTo("/media/x/jpeg/320?exp=1700000000&sig=ab-_c");
        assertThat(PurgeBatch.encode("/a\"<>#[]\\^`{|}\n~")).isEqualTo("/a%22%3C%3E%23%5B%5D%5C%5E%60%7B%7C%7D%0A~");
        assertThat(PurgeBatch.encode("/100%/x%4")).as("a % that starts no escape").isEqualTo("/100%25/x%254");
        assertThat(PurgeBatch.encode("/😀")).isEqualTo("/%F0%9F%98%80");
        for (String path : List.of("/media/a b/é.jpg", "/100%/x%4", "/a\"<>#")) {
            assertThat(PurgeBatch.encode(PurgeBatch.encode(path))).as("encoding twice changes nothing: " + path).isEqualTo(PurgeBatch.encode(path));
        }
    }

    @Test
    void aBatchKeepsItsIdOrderAndNoDuplicate() {
        PurgeBatch batch = new PurgeBatch("purge-42", List.of("/b", "/a b", "/b", "/a%20b"), List.of("/streams/s/"));
        assertThat(batch.id()).isEqualTo("purge-42");
        assertThat(batch.paths()).containsExactly("/b", "/a%20b");
        assertThat(batch.prefixes()).containsExactly("/streams/s/");
        assertThat(new PurgeBatch("x", null, null)).isEqualTo(new PurgeBatch("x", List.of(), List.of()));
        assertThat(PurgeBatch.of(List.of("/a"), List.of()).id()).isNotEqualTo(PurgeBatch.of(List.of("/a"), List.of()).id());
    }

    @Test
    void whatAnEdgeWouldMisreadIsRefused() {
        assertThatThrownBy(() -> new PurgeBatch("x", List.of("media/a"), List.of())).hasMessageContaining("begins with /");
        assertThatThrownBy(() -> new PurgeBatch("x", List.of("/media/*"), List.of())).hasMessageContaining("'*'");
        assertThatThrownBy(() -> new PurgeBatch("x", List.of(), List.of("/media/a?x=1"))).hasMessageContaining("without a query");
        assertThatThrownBy(() -> new PurgeBatch("x", List.of("/" + "a".repeat(PurgeBatch.MAX_PATH)), List.of())).hasMessageContaining("at most");
        assertThatThrownBy(() -> new PurgeBatch("x", List.of("/\uD800"), List.of())).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> new PurgeBatch("a b", List.of(), List.of())).hasMessageContaining("batch id");
        assertThatThrownBy(() -> new PurgeBatch("x".repeat(65), List.of(), List.of())).hasMessageContaining("batch id");
    }
}
