package dev.mediapipeline.app.upload;

import dev.mediapipeline.core.staging.StagingProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class TusWebConfiguration implements WebMvcConfigurer {

    /** what a browser tus client must be allowed to read from the responses */
    static final String[] EXPOSED = {"Location", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires",
            "Tus-Resumable", "Tus-Version", "Tus-Max-Size", "Tus-Extension", "Tus-Checksum-Algorithm"};

    private final StagingProperties staging;

    TusWebConfiguration(StagingProperties staging) {
        this.staging = staging;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new TusProtocolInterceptor()).addPathPatterns(TusController.BASE, TusController.BASE + "/**");
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (staging.corsAllowedOrigins().isEmpty()) {
            return;
        }
        registry.addMapping(TusController.BASE + "/**")
                .allowedOrigins(staging.corsAllowedOrigins().toArray(String[]::new))
                .allowedMethods("POST", "HEAD", "PATCH", "DELETE", "OPTIONS")
                .allowedHeaders("*")
                .exposedHeaders(EXPOSED)
                .maxAge(86400);
        registry.addMapping(TusController.BASE)
                .allowedOrigins(staging.corsAllowedOrigins().toArray(String[]::new))
                .allowedMethods("POST", "OPTIONS")
                .allowedHeaders("*")
                .exposedHeaders(EXPOSED)
                .maxAge(86400);
    }
}
