package dev.mediapipeline.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The edge's access log lines as varnishncsa writes them (scripts/varnish): what counts as delivery, and how. */
@Tag("fast")
class EdgeLogLineTest {

    static final String ASSET = "0b7e3c52-51a4-4d3c-9d8f-2f0c9a1e6b10";

    @Test
    void aDeliveryLineGivesItsDayAssetFormatCacheAndBytes() {
        EdgeLog.Line line = EdgeLog.parse("1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t200\t1000\tmiss\timage/jpeg");
        assertThat(line).isEqualTo(new EdgeLog.Line(LocalDate.of(2026, 11, 30), new DeliveryFormat.Target(UUID.fromString(ASSET), "image"),
                "jpeg", "miss", 1000));
        assertThat(EdgeLog.parse("1796010707\tGET\t/media/" + ASSET + "/webp/320?exp=1&sig=abc\t206\t100\thit\timage/webp").cache())
                .isEqualTo("hit");
        assertThat(EdgeLog.parse("1796010707\tHEAD\t/streams/" + ASSET + "/v1/~17.ab/720/seg-1.m4s\t200\t-\tpass\tvideo/iso.segment"))
                .isEqualTo(new EdgeLog.Line(LocalDate.of(2026, 11, 30), new DeliveryFormat.Target(UUID.fromString(ASSET), "stream"),
                        "segment", "pass", 0));
        assertThat(EdgeLog.parse("1796010707\tGET\t/media/" + ASSET + "/original\t200\t5\tpass\tvideo/mp4").format()).isEqualTo("original");
        assertThat(EdgeLog.parse("1796010707\tGET\t/downloads/" + ASSET + "/archive\t200\t5\tpass\tapplication/zip").target().kind())
                .isEqualTo("archive");
    }

    @Test
    void everythingElseIsSkipped() {
        for (String other : new String[] {
                "1796010707\tBAN\t/\t400\t350\tsynth\ttext/html",
                "1796010707\tPURGE\t/media/" + ASSET + "/jpeg/640\t200\t0\tsynth\ttext/html",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t404\t100\tpass\tapplication/problem+json",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t416\t0\thit\timage/jpeg",
                "1796010707\tGET\t/assets/" + ASSET + "\t200\t100\tpass\tapplication/json",
                "1796010707\tGET\t/downloads/" + ASSET + "\t200\t100\tpass\tapplication/json",
                "1796010707\tGET\t/media/not-a-uuid/jpeg/640\t200\t100\tmiss\timage/jpeg",
                "x\tGET\t/media/" + ASSET + "/jpeg/640\t200\t100\tmiss\timage/jpeg",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t200\t-5\tmiss\timage/jpeg",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t200\t99999999999999999999\tmiss\timage/jpeg",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t200\t100\tmiss",
                "",
                "1796010707\tGET\t/media/" + ASSET + "/jpeg/640\t200\t100\tmiss\timage/jpeg\textra"}) {
            assertThat(EdgeLog.parse(other)).as(other).isNull();
        }
    }

    @Test
    void formatsAreNamedAsTheOriginNamesThem() {
        assertThat(DeliveryFormat.of("image/jpeg")).isEqualTo("jpeg");
        assertThat(DeliveryFormat.of("application/vnd.apple.mpegurl")).isEqualTo("m3u8");
        assertThat(DeliveryFormat.of("application/dash+xml; charset=utf-8")).isEqualTo("mpd");
        assertThat(DeliveryFormat.of("audio/mp4")).isEqualTo("init");
        assertThat(DeliveryFormat.of(null)).isEqualTo("other");
        assertThat(DeliveryFormat.target("/media/" + ASSET.toUpperCase(java.util.Locale.ROOT) + "/jpeg/1")).as("one spelling").isNull();
        assertThat(DeliveryFormat.target("/media/" + ASSET + "x".repeat(3000))).isNull();
    }
}
