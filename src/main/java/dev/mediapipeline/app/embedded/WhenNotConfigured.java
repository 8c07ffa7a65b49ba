package dev.mediapipeline.app.embedded;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the named property is not set at all: the embedded default stands in for the service. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(WhenNotConfigured.PropertyAbsent.class)
@interface WhenNotConfigured {

    String value();

    final class PropertyAbsent implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String property = (String) metadata.getAnnotationAttributes(WhenNotConfigured.class.getName()).get("value");
            String value = context.getEnvironment().getProperty(property);
            return value == null || value.isBlank();
        }
    }
}
