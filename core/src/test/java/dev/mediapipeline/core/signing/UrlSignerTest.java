package dev.mediapipeline.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The application's own signed URLs: valid, expired, tampered, moved, and a key rotated out. */
@Tag("fast")
class UrlSignerTest {

    static final byte[] OLD = "an old secret of thirty-two bytes!".getBytes();
    static final byte[] NEW = "the new secret, thirty-two bytes!!".getBytes();
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    record Signed(String exp, String sig) {
        static Signed of(String query) {
            String[] parts = query.split("&");
            return new Signed(parts[0].substring(4), parts[1].substring(4));
        }
    }

    @Test
    void aSignatureHoldsForItsPathUntilItsExpiry() {
        UrlSigner signer = new UrlSigner(List.of(NEW));
        Signed s = Signed.of(signer.sign("/media/a/jpeg/320", NOW.plusSeconds(60)));
        assertThat(signer.verify("/media/a/jpeg/320", s.exp(), s.sig(), NOW)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(signer.verify("/media/a/jpeg/320", s.exp(), s.sig(), NOW.plusSeconds(60))).isEqualTo(UrlSigner.Verdict.EXPIRED);
        assertThat(signer.verify("/media/a/jpeg/640", s.exp(), s.sig(), NOW)).as("moved to another path").isEqualTo(UrlSigner.Verdict.INVALID);
        long later = Long.parseLong(s.exp()) + 3600;
        assertThat(signer.verify("/media/a/jpeg/320", String.valueOf(later), s.sig(), NOW)).as("expiry pushed").isEqualTo(UrlSigner.Verdict.INVALID);
        char flipped = s.sig().charAt(5) == 'A' ? 'B' : 'A';
        String tampered = s.sig().substring(0, 5) + flipped + s.sig().substring(6);
        assertThat(signer.verify("/media/a/jpeg/320", s.exp(), tampered, NOW)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify("/media/a/jpeg/320", null, null, NOW)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify("/media/a/jpeg/320", "soon", s.sig(), NOW)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify("/media/a/jpeg/320", s.exp(), "%%%", NOW)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify("/media/a/jpeg/320", "0" + s.exp(), s.sig(), NOW)).as("another spelling of exp").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify("/media/a/jpeg/320", s.exp(), s.sig() + "=", NOW)).as("padded").isEqualTo(UrlSigner.Verdict.INVALID);
    }

    @Test
    void theNewestKeySignsAndEveryKeyVerifiesUntilOneIsRotatedOut() {
        Signed byOld = Signed.of(new UrlSigner(List.of(OLD)).sign("/media/a/original", NOW.plusSeconds(60)));
        UrlSigner rotating = new UrlSigner(List.of(NEW, OLD));
        assertThat(rotating.verify("/media/a/original", byOld.exp(), byOld.sig(), NOW)).isEqualTo(UrlSigner.Verdict.VALID);
        Signed byRotating = Signed.of(rotating.sign("/media/a/original", NOW.plusSeconds(60)));
        assertThat(new UrlSigner(List.of(NEW)).verify("/media/a/original", byRotating.exp(), byRotating.sig(), NOW))
                .as("signed with the newest").isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(new UrlSigner(List.of(NEW)).verify("/media/a/original", byOld.exp(), byOld.sig(), NOW))
                .as("the old key rotated out").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThatThrownBy(() -> new UrlSigner(List.of("short".getBytes()))).hasMessageContaining("at least 32 bytes");
    }
}
