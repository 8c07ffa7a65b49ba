package dev.mediapipeline.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp.Reply;
import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Job parameters are data, never types: Spring Batch's own converter instantiates the class named
 * after a comma ({@code /tmp/f,java.io.FileOutputStream} made the file; with
 * {@code ClassPathXmlApplicationContext}, any code). Every launch is checked against the job's
 * declaration, and nothing named in a value is ever instantiated.
 */
class JobParametersAreDataTest extends AppTestBase {

    @Autowired
    JobControl jobs;

    @Test
    void typeSuffixesAndUnknownNamesAnswer400AndInstantiateNothing(@TempDir Path dir) throws Exception {
        Path created = dir.resolve("f");
        Path marker = dir.resolve("from-xml");
        // a context file that, if loaded, would write a file: the code execution the second payload stands for
        Path xml = Files.writeString(dir.resolve("evil.xml"), """
                <beans xmlns="http://www.springframework.org/schema/beans">
                  <bean class="java.io.FileOutputStream"><constructor-arg value="%s"/></bean>
                </beans>""".formatted(marker));
        List<String> payloads = List.of(
                created + ",java.io.FileOutputStream",
                "file:" + xml + ",org.springframework.context.support.ClassPathXmlApplicationContext",
                "file:" + xml + ", org.springframework.context.support.ClassPathXmlApplicationContext , true");
        for (String job : List.of("anything", "mediaIngest", "assetMigration")) {
            for (String value : payloads) {
                for (String name : List.of("x", "run")) {
                    Reply reply = http.post("/jobs/" + job + "/executions", "{\"parameters\": {\"" + name + "\": \"" + value + "\"}}");
                    assertThat(reply.status()).as(job + " " + name + "=" + value).isEqualTo(400);
                    assertThat(reply.contentType()).startsWith("application/problem+json");
                    assertThat(reply.body().get("detail").asString()).contains("names a type");
                }
            }
        }
        assertThat(created).as("no FileOutputStream was made").doesNotExist();
        assertThat(marker).as("no application context was loaded").doesNotExist();

        // names and values are checked against the declaration
        Reply unknown = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"x\": \"1\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("detail").asString()).contains("takes no parameter 'x'").contains("run");
        Reply badDate = http.post("/jobs/mediaIngest/executions", "{\"parameters\": {\"businessDate\": \"yesterday\"}}");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body().get("detail").asString()).contains("businessDate").contains("ISO date");
        Reply missing = http.post("/jobs/requeueFailures/executions", "{\"parameters\": {\"run\": \"r\"}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("detail").asString()).contains("needs parameter 'failureClass'");
        assertThat(http.post("/jobs/anything/executions", "{\"parameters\": {\"run\": \"1\"}}").status())
                .as("a plain value for an unknown job").isEqualTo(404);

        // launches that do not come over REST (Quartz, the command line) are checked too
        assertThatThrownBy(() -> jobs.launch("mediaIngest", new JobParametersBuilder().addString("x", "1").toJobParameters()))
                .isInstanceOfSatisfying(JobControlException.class, e -> assertThat(e.kind()).isEqualTo(JobControlException.Kind.BAD_REQUEST));
        assertThatThrownBy(() -> jobs.launch("mediaIngest", new JobParametersBuilder().addLong("run", 1L).toJobParameters()))
                .isInstanceOfSatisfying(JobControlException.class, e -> assertThat(e.getMessage()).contains("'run' must be text"));

        // the jobs list says what each takes
        Reply list = http.get("/jobs");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().toString()).contains("\"name\":\"mediaIngest\"").contains("\"businessDate\"").contains("failureClass");
    }
}
