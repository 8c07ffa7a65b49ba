package dev.mediapipeline.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** {@code media.log.format}: json turns on Spring Boot's structured console logging; text leaves it; anything else is refused. */
@Tag("fast")
class LogFormatTest {

    @Test
    void jsonTurnsOnStructuredConsoleLinesAndTextLeavesThemOff() {
        MockEnvironment json = new MockEnvironment().withProperty("media.log.format", "json");
        new LogFormat().postProcessEnvironment(json, new SpringApplication());
        assertThat(json.getProperty("logging.structured.format.console")).isEqualTo("logstash");

        MockEnvironment chosen = new MockEnvironment().withProperty("media.log.format", "json")
                .withProperty("logging.structured.format.console", "ecs");
        new LogFormat().postProcessEnvironment(chosen, new SpringApplication());
        assertThat(chosen.getProperty("logging.structured.format.console")).as("an explicit layout wins").isEqualTo("ecs");

        MockEnvironment text = new MockEnvironment();
        new LogFormat().postProcessEnvironment(text, new SpringApplication());
        assertThat(text.getProperty("logging.structured.format.console")).isNull();

        assertThatThrownBy(() -> new LogFormat().postProcessEnvironment(new MockEnvironment().withProperty("media.log.format", "xml"),
                new SpringApplication())).hasMessageContaining("text or json");
    }
}
