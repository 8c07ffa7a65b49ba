package dev.mediapipeline.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A failure's message quotes hostile bytes: what reaches the database and an operator's terminal. */
@Tag("fast")
class PrintableMessageTest {

    @Test
    void nulsEscapesAndBidiControlsBecomeReplacementCharacters() {
        assertThat(FailureLedger.printable("box '\0\0\0\0' unknown")).isEqualTo("box '\uFFFD\uFFFD\uFFFD\uFFFD' unknown");
        assertThat(FailureLedger.printable("\u001b[31mred\u202egnp.exe")).isEqualTo("\uFFFD[31mred\uFFFDgnp.exe");
        assertThat(FailureLedger.printable("lone \uD800 surrogate")).isEqualTo("lone \uFFFD surrogate");
        assertThat(FailureLedger.printable("a\u200fb\u2028c\u061cd")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd");
    }

    @Test
    void textLineBreaksAndEveryScriptStay() {
        String text = "ffmpeg said:\n\tmoov atom not found — 写真 📷 café";
        assertThat(FailureLedger.printable(text)).isEqualTo(text);
        assertThat(FailureLedger.printable(null)).isEqualTo("null");
    }

    @Test
    void longMessagesAreCut() {
        String printable = FailureLedger.printable("x".repeat(100_000));
        assertThat(printable).hasSize(FailureLedger.MAX_MESSAGE + 4).endsWith(" ...");
        String pairs = FailureLedger.printable("x" + "\uD83D\uDCF7".repeat(5000));
        assertThat(pairs.codePoints()).as("no emoji cut in half").doesNotContain(0xFFFD);
    }
}
