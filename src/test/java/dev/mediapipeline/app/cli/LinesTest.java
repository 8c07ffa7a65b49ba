package dev.mediapipeline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.staging.UploadMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The command line's report lines: a hostile name or message cannot forge a line, move the cursor or
 * show a name reversed, and no line grows without bound; and the failures command's arguments.
 */
@Tag("fast")
class LinesTest {

    @Test
    void aNameKeepsItsTextButNotItsEscapesBidiOverridesOrLineBreaks() {
        assertThat(Lines.name("album/photo.jpg")).isEqualTo("album/photo.jpg");
        assertThat(Lines.name("two  spaces.jpg")).as("shown as it is").isEqualTo("two  spaces.jpg");
        assertThat(Lines.name("red\u001b[31m.jpg")).isEqualTo("red\ufffd[31m.jpg");
        assertThat(Lines.name("invoice\u202egpj.exe")).as("an RLO would show exe.jpg").isEqualTo("invoice\ufffdgpj.exe");
        assertThat(Lines.name("a\nb\tc\rd.jpg")).as("no second line").isEqualTo("a\ufffdb\ufffdc\ufffdd.jpg");
        assertThat(Lines.name("")).isEqualTo("?");
        assertThat(Lines.name(null)).isEqualTo("?");
    }

    @Test
    void aLongNameKeepsItsStartAndItsExtension() {
        String name = "a".repeat(500) + ".jpg";
        String shown = Lines.name(name);
        assertThat(shown).hasSizeLessThanOrEqualTo(Lines.MAX_NAME).startsWith("aaaa").contains("...").endsWith("a.jpg");
        String pair = "\ud83d\ude00";
        String cut = Lines.name("x" + pair.repeat(300));
        assertThat(cut).hasSizeLessThanOrEqualTo(Lines.MAX_NAME).startsWith("x" + pair).contains("...").endsWith(pair);
        String pairs = cut.substring(1).replace("...", "");
        assertThat(pairs).as("no surrogate pair cut in two").isEqualTo(pair.repeat(pairs.length() / 2));
    }

    @Test
    void aMessageIsOneShortLine() {
        assertThat(Lines.message("the file ends\nat offset 200\t before  the image does  "))
                .isEqualTo("the file ends at offset 200 before the image does");
        assertThat(Lines.message("NUL\u0000 and ESC\u001b[2J")).isEqualTo("NUL\ufffd and ESC\ufffd[2J");
        assertThat(Lines.message("x".repeat(5000))).hasSize(Lines.MAX_MESSAGE + 4).endsWith("x ...");
        assertThat(Lines.message("y".repeat(Lines.MAX_MESSAGE))).as("exactly the limit: whole").hasSize(Lines.MAX_MESSAGE);
        assertThat(Lines.message("a".repeat(Lines.MAX_MESSAGE - 1) + "\ud83d\ude00" + "b".repeat(10)))
                .as("a pair is not cut in two").isEqualTo("a".repeat(Lines.MAX_MESSAGE - 1) + " ...");
        assertThat(Lines.message(null)).isEmpty();
        assertThat(Lines.message("MediaPipeline.Test.EICAR.UNOFFICIAL", 10)).isEqualTo("MediaPipel ...");
    }

    @Test
    void theStagedNameIsTheRelativePathElseTheFilename() {
        Map<String, String> both = new LinkedHashMap<>();
        both.put("filename", "cut.jpg");
        both.put("relativePath", "hostile/cut.jpg");
        assertThat(Lines.stagedName(UploadMetadata.format(both))).isEqualTo("hostile/cut.jpg");
        assertThat(Lines.stagedName(UploadMetadata.format(Map.of("filename", "cut.jpg")))).isEqualTo("cut.jpg");
        assertThat(Lines.stagedName(UploadMetadata.format(Map.of("filetype", "image/jpeg")))).isNull();
        assertThat(Lines.stagedName("not base64 !!!")).as("unreadable metadata names nothing").isNull();
        assertThat(Lines.stagedName(null)).isNull();
    }

    @Test
    void failuresOptions() {
        FailuresCommand.Options none = FailuresCommand.Options.parse(List.of());
        assertThat(none).isEqualTo(new FailuresCommand.Options(null, null, FailuresCommand.DEFAULT_LIMIT, false));
        assertThat(none.classes()).containsExactly(null, null);

        FailuresCommand.Options given = FailuresCommand.Options.parse(List.of("--class", "infected", "--tenant=acme", "--limit", "10000",
                "--all"));
        assertThat(given).isEqualTo(new FailuresCommand.Options("infected", "acme", 10_000, true));
        assertThat(given.classes()).as("a bare reason is either kind").containsExactly("rejected:infected", "failed:infected");
        assertThat(FailuresCommand.Options.parse(List.of("--class=failed:IOException")).classes())
                .containsExactly("failed:IOException", "failed:IOException");

        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--limit", "0"))).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--limit", "10001"))).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--limit", "many"))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--class"))).hasMessageContaining("--class needs a value");
        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--open"))).hasMessageContaining("unknown argument '--open'");
        assertThatThrownBy(() -> FailuresCommand.Options.parse(List.of("--all=yes"))).hasMessageContaining("unknown argument");
    }

    @Test
    void failuresSettingsGoToTheContextAndTheRestToTheCommand() {
        List<String> args = List.of("--tenant", "acme", "--media.home=/tmp/h", "--spring.datasource.url=jdbc:postgresql://x/y", "--all");
        assertThat(FailuresCommand.settings(args)).containsExactly("--media.home=/tmp/h", "--spring.datasource.url=jdbc:postgresql://x/y");
        assertThat(FailuresCommand.options(args)).containsExactly("--tenant", "acme", "--all");
    }
}
