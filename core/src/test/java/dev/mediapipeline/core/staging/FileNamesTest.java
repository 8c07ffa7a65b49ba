package dev.mediapipeline.core.staging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class FileNamesTest {

    @Test
    void namesAreMadeSafeToShowAndStore() {
        assertThat(FileNames.sanitize("C:\\fakepath\\photo.jpg", "x")).isEqualTo("photo.jpg");
        assertThat(FileNames.sanitize("../../etc/passwd", "x")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("a\u0000b\u0007c.jpg", "x")).isEqualTo("abc.jpg");
        assertThat(FileNames.sanitize("photo\u202Egpj.exe", "x")).as("no bidi override").isEqualTo("photogpj.exe");
        assertThat(FileNames.sanitize("  holiday.png \n", "x")).isEqualTo("holiday.png");
        assertThat(FileNames.sanitize("..", "fallback")).isEqualTo("fallback");
        assertThat(FileNames.sanitize("\u0000\u202E", "fallback")).isEqualTo("fallback");
        assertThat(FileNames.sanitize(null, "fallback")).isEqualTo("fallback");
        assertThat(FileNames.sanitize("dir/", "fallback")).isEqualTo("fallback");
    }

    @Test
    void unicodeNamesSurviveIntact() {
        for (String name : new String[] {"Café déjà vu.jpg", "東京タワー.png", "👨‍👩‍👧 family.jpg", "Ünïcödé ☃.webp"}) {
            assertThat(FileNames.sanitize(name, "x")).isEqualTo(name);
        }
        assertThat(FileNames.sanitize("Cafe\u0301.jpg", "x")).as("NFC").isEqualTo("Café.jpg");
    }

    @Test
    void longNamesAreCutTo255BytesBetweenCodePointsKeepingTheExtension() {
        String cut = FileNames.sanitize("写".repeat(200) + ".jpeg", "x");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(cut).endsWith(".jpeg").startsWith("写写");
        assertThat(cut.replace(".jpeg", "")).matches("写+");
        String emoji = FileNames.sanitize("😀".repeat(100), "x");
        assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isEqualTo(252);
        assertThat(emoji.codePoints().allMatch(c -> c == 0x1F600)).isTrue();
    }
}
