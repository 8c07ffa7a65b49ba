package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.ContentDisposition;

/**
 * The settings of the delivery mode, refused at the start when they cannot work, and the file name a
 * presign carries: the origin's own, as far as ASCII reaches.
 */
@Tag("fast")
class PresignedDeliveryTest {

    @Test
    void theModeIsOriginOrPresigned() {
        assertThat(PresignedDelivery.presigned("origin")).isFalse();
        assertThat(PresignedDelivery.presigned(" Presigned ")).isTrue();
        assertThatThrownBy(() -> PresignedDelivery.presigned("redirect")).hasMessageContaining("origin").hasMessageContaining("presigned")
                .hasMessageContaining("'redirect'");
        assertThatThrownBy(() -> PresignedDelivery.presigned("x".repeat(5000))).hasMessageContaining("...'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void thePresignLastsWholeSecondsUpToSevenDays() {
        Clock clock = Clock.systemUTC();
        assertThat(new PresignedDelivery(null, clock, "presigned", Duration.ofMinutes(5)).enabled()).isTrue();
        assertThat(new PresignedDelivery(null, clock, "origin", Duration.ofDays(7)).enabled()).isFalse();
        assertThatThrownBy(() -> new PresignedDelivery(null, clock, "presigned", Duration.ofDays(8))).hasMessageContaining("7d");
        assertThatThrownBy(() -> new PresignedDelivery(null, clock, "presigned", Duration.ZERO)).hasMessageContaining("presign-ttl");
        assertThatThrownBy(() -> new PresignedDelivery(null, clock, "presigned", Duration.ofMillis(1500))).hasMessageContaining("whole");
    }

    @Test
    void thePresignCarriesTheOriginsFileNameInAscii() {
        String ascii = ContentDisposition.attachment().filename("IMG_0042-640.jpg", StandardCharsets.UTF_8).build().toString();
        assertThat(PresignedDelivery.asciiFilename(ContentDisposition.parse(ascii).getFilename())).isEqualTo("IMG_0042-640.jpg");
        String utf8 = ContentDisposition.attachment().filename("café 写真-640.jpg", StandardCharsets.UTF_8).build().toString();
        assertThat(PresignedDelivery.asciiFilename(ContentDisposition.parse(utf8).getFilename())).isEqualTo("caf_ __-640.jpg");
        assertThat(PresignedDelivery.asciiFilename("a\"b\\c\u0007.jpg")).isEqualTo("a_b_c_.jpg");
        assertThat(PresignedDelivery.asciiFilename("😀.png")).as("one code point, one underscore").isEqualTo("_.png");
        assertThat(PresignedDelivery.asciiFilename(null)).isNull();
    }
}
