package dev.mediapipeline.app.upload;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class TusWebConfiguration implements WebMvcConfigurer {

    // CORS for browser tus clients is answered by the security filter chain (SecurityConfiguration), before the key is checked

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new TusProtocolInterceptor()).addPathPatterns(TusController.BASE, TusController.BASE + "/", TusController.BASE + "/**");
    }
}
