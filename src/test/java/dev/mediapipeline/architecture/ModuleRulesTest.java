package dev.mediapipeline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.mediapipeline.core.fixture.CoreReachingIntoAStage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the design, stated once and checked on every class of the application:
 * {@code core <- readers, processors, writers <- jobs <- schedules <- app}. Core imports no stage;
 * readers, processors and writers never import each other; jobs and schedules never import the app.
 */
@org.junit.jupiter.api.Tag("fast")
class ModuleRulesTest {

    static final String CORE = "dev.mediapipeline.core..";
    static final String READERS = "dev.mediapipeline.readers..";
    static final String PROCESSORS = "dev.mediapipeline.processors..";
    static final String WRITERS = "dev.mediapipeline.writers..";
    static final String JOBS = "dev.mediapipeline.jobs..";
    static final String SCHEDULES = "dev.mediapipeline.schedules..";
    static final String APP = "dev.mediapipeline.app..";

    static final List<ArchRule> RULES = List.of(
            noClasses().that().resideInAPackage(CORE).should().dependOnClassesThat()
                    .resideInAnyPackage(READERS, PROCESSORS, WRITERS, JOBS, SCHEDULES, APP)
                    .because("core is the kernel every stage builds on, and imports none of them"),
            noClasses().that().resideInAPackage(READERS).should().dependOnClassesThat()
                    .resideInAnyPackage(PROCESSORS, WRITERS, JOBS, SCHEDULES, APP)
                    .because("readers, processors and writers never see each other; jobs compose them"),
            noClasses().that().resideInAPackage(PROCESSORS).should().dependOnClassesThat()
                    .resideInAnyPackage(READERS, WRITERS, JOBS, SCHEDULES, APP)
                    .because("readers, processors and writers never see each other; jobs compose them"),
            noClasses().that().resideInAPackage(WRITERS).should().dependOnClassesThat()
                    .resideInAnyPackage(READERS, PROCESSORS, JOBS, SCHEDULES, APP)
                    .because("readers, processors and writers never see each other; jobs compose them"),
            noClasses().that().resideInAPackage(JOBS).should().dependOnClassesThat()
                    .resideInAnyPackage(SCHEDULES, APP).orShould().dependOnClassesThat().haveFullyQualifiedName(
                            "dev.mediapipeline.MediaPipelineApplication")
                    .because("jobs hold no application code; schedules and the app launch them through JobControl"),
            noClasses().that().resideInAPackage(SCHEDULES).should().dependOnClassesThat().resideInAnyPackage(APP)
                    .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.mediapipeline.MediaPipelineApplication")
                    .because("schedules launch jobs by name through JobControl and never import the app"));

    @Test
    void theApplicationKeepsTheModuleRules() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mediapipeline");
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .as("every module's classes were read").anyMatch(p -> p.startsWith("dev.mediapipeline.core"))
                .anyMatch(p -> p.startsWith("dev.mediapipeline.processors")).anyMatch(p -> p.startsWith("dev.mediapipeline.jobs"))
                .anyMatch(p -> p.startsWith("dev.mediapipeline.schedules")).anyMatch(p -> p.startsWith("dev.mediapipeline.app"));
        RULES.forEach(rule -> rule.check(classes));
    }

    @Test
    void aViolationFails() {
        JavaClasses fixture = new ClassFileImporter().importClasses(CoreReachingIntoAStage.class);
        assertThatThrownBy(() -> RULES.getFirst().check(fixture)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CoreReachingIntoAStage");
    }
}
