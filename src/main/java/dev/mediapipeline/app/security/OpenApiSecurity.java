package dev.mediapipeline.app.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description says how to authenticate: an API key as a bearer token, or in X-Api-Key. */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

    @Bean
    OpenAPI mediaPipelineOpenApi() {
        return new OpenAPI()
                .info(new Info().title("media-pipeline").description("Every route needs an API key of the scope it names "
                        + "(upload, read, write, jobs, admin), but /actuator/health."))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("mp_<prefix>_<secret>"))
                        .addSecuritySchemes("apiKeyHeader", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Api-Key")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKeyHeader"));
    }
}
