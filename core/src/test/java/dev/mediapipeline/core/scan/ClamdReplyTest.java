package dev.mediapipeline.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reply parsing is strict: only the exact clean reply is clean. */
@org.junit.jupiter.api.Tag("fast")
class ClamdReplyTest {

    @Test
    void onlyTheExactOkIsClean() {
        assertThat(ClamdScanner.parse("stream: OK")).isEqualTo(new ScanVerdict.Clean());
    }

    @Test
    void foundNamesTheSignature() {
        assertThat(ClamdScanner.parse("stream: Win.Test.EICAR_HDB-1 FOUND"))
                .isEqualTo(new ScanVerdict.Infected("Win.Test.EICAR_HDB-1"));
    }

    @Test
    void sizeLimitIsARefusal() {
        assertThatThrownBy(() -> ClamdScanner.parse("INSTREAM size limit exceeded. ERROR"))
                .isInstanceOf(ScanLimitExceededException.class);
        assertThatThrownBy(() -> ClamdScanner.parse("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND"))
                .isInstanceOf(ScanLimitExceededException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "stream: ok", "stream: OK ", " stream: OK", "stream:OK", "OK", "stream: OK FOUND extra",
            "stream:  FOUND", "lstat() failed: No such file or directory. ERROR", "Can't allocate memory ERROR",
            "UNKNOWN COMMAND", "PONG"})
    void anythingElseIsNoVerdict(String reply) {
        assertThatThrownBy(() -> ClamdScanner.parse(reply)).isInstanceOf(ScannerUnavailableException.class);
    }
}
