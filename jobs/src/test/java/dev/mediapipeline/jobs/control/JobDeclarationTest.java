package dev.mediapipeline.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** A job's declared parameters: values are parsed by their declared kind, never by a type they name. */
@Tag("fast")
class JobDeclarationTest {

    final JobDeclaration ingest = new JobDeclaration("mediaIngest", JobDeclaration.common(), true);

    JobDeclaration withRequiredClass() {
        List<JobDeclaration.Parameter> parameters = new ArrayList<>(JobDeclaration.common());
        parameters.add(JobDeclaration.Parameter.required("failureClass", JobDeclaration.Kind.TEXT));
        parameters.add(JobDeclaration.Parameter.optional("widths", JobDeclaration.Kind.INTEGERS, true));
        parameters.add(JobDeclaration.Parameter.optional("dryRun", JobDeclaration.Kind.BOOLEAN, true));
        return new JobDeclaration("requeue", parameters, true);
    }

    @Test
    void valuesAreTypedByTheDeclaration() {
        var parameters = ingest.parse(Map.of("run", "manual-1", "businessDate", "2026-11-24", "schedule", "nightly"));
        assertThat(parameters.getString("run")).isEqualTo("manual-1");
        assertThat(parameters.getLocalDate("businessDate")).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(parameters.getParameter("schedule").identifying()).isFalse();
        assertThat(parameters.getParameter("run").identifying()).isTrue();
        assertThat(withRequiredClass().parse(Map.of("failureClass", "rejected:infected", "widths", "480, 960,1920", "dryRun", "true"))
                .getString("widths")).isEqualTo("480, 960,1920");
    }

    @Test
    void typeSuffixesUnknownNamesBadValuesAndMissingOnesAreRefused() {
        for (String value : List.of("/tmp/f,java.io.FileOutputStream", "x,org.springframework.context.support.ClassPathXmlApplicationContext",
                "2026-11-24,java.time.LocalDate,true", "a , java.lang.String , false")) {
            assertThatThrownBy(() -> ingest.parse(Map.of("run", value))).hasMessageContaining("names a type");
        }
        assertThatThrownBy(() -> ingest.parse(Map.of("x", "1"))).hasMessageContaining("takes no parameter 'x'");
        assertThatThrownBy(() -> ingest.parse(Map.of("businessDate", "yesterday"))).hasMessageContaining("ISO date");
        assertThatThrownBy(() -> ingest.parse(Map.of("tenant", "acme"))).hasMessageContaining("a UUID");
        assertThatThrownBy(() -> ingest.parse(Map.of("run", "a\u0000b"))).hasMessageContaining("text");
        assertThatThrownBy(() -> ingest.parse(Map.of("run", "x".repeat(501)))).hasMessageContaining("longer than");
        assertThatThrownBy(() -> withRequiredClass().parse(Map.of("run", "1"))).hasMessageContaining("needs parameter 'failureClass'");
        assertThatThrownBy(() -> withRequiredClass().parse(Map.of("failureClass", "c", "widths", "big"))).hasMessageContaining("widths");
        assertThatThrownBy(() -> withRequiredClass().parse(Map.of("failureClass", "c", "dryRun", "yes"))).hasMessageContaining("true or false");
        // numbers after a comma are no type: a list of widths is fine
        assertThat(withRequiredClass().parse(Map.of("failureClass", "c", "widths", "480,960")).isEmpty()).isFalse();
    }

    @Test
    void typedLaunchesAreCheckedToo() {
        ingest.check(new JobParametersBuilder().addLocalDate("businessDate", LocalDate.now()).addString("schedule", "s", false)
                .toJobParameters());
        assertThatThrownBy(() -> ingest.check(new JobParametersBuilder().addString("businessDate", "2026-11-24").toJobParameters()))
                .hasMessageContaining("'businessDate' must be an ISO date");
        assertThatThrownBy(() -> ingest.check(new JobParametersBuilder().addString("schedule", "s", true).toJobParameters()))
                .hasMessageContaining("must not identify");
        assertThatThrownBy(() -> ingest.check(new JobParametersBuilder().addString("other", "s").toJobParameters()))
                .hasMessageContaining("takes no parameter 'other'");
    }

    @Test
    void aParameterIsDeclaredOnce() {
        List<JobDeclaration.Parameter> twice = new ArrayList<>(JobDeclaration.common());
        twice.add(JobDeclaration.Parameter.optional("run", JobDeclaration.Kind.TEXT, true));
        assertThatThrownBy(() -> new JobDeclaration("j", twice, true)).hasMessageContaining("twice");
    }
}
