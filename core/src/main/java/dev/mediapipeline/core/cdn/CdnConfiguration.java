package dev.mediapipeline.core.cdn;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The CDNs to purge, each when configured (none: asset changes record no purge):
 * <ul>
 * <li>{@code media.cdn.varnish.edge}: a Varnish edge's URL (what {@code ./media serve --edge} sets);</li>
 * <li>{@code media.cdn.cloudfront.distribution-id}, with {@code access-key} and {@code secret-key} (else
 * the default AWS credential chain) and, for tests, {@code endpoint};</li>
 * <li>{@code media.cdn.cloudflare.zone}, {@code token} and {@code public-host} (the zone's public URL,
 * such as {@code https://media.example.com}), and, for tests, {@code api}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class CdnConfiguration {

    @Bean
    @ConditionalOnExpression("'${media.cdn.varnish.edge:}' != ''")
    VarnishPurger varnishPurger(@Value("${media.cdn.varnish.edge}") URI edge) {
        return new VarnishPurger(edge);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${media.cdn.cloudfront.distribution-id:}' != ''")
    CloudFrontPurger cloudFrontPurger(@Value("${media.cdn.cloudfront.distribution-id}") String distribution,
            @Value("${media.cdn.cloudfront.endpoint:#{null}}") URI endpoint, @Value("${media.cdn.cloudfront.access-key:}") String accessKey,
            @Value("${media.cdn.cloudfront.secret-key:}") String secretKey) {
        return new CloudFrontPurger(distribution, endpoint, accessKey, secretKey);
    }

    @Bean
    @ConditionalOnExpression("'${media.cdn.cloudflare.zone:}' != ''")
    CloudflarePurger cloudflarePurger(@Value("${media.cdn.cloudflare.api:#{null}}") URI api, @Value("${media.cdn.cloudflare.zone}") String zone,
            @Value("${media.cdn.cloudflare.token}") String token, @Value("${media.cdn.cloudflare.public-host}") URI publicHost) {
        return new CloudflarePurger(api, zone, token, publicHost);
    }
}
