package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.signing.CloudFrontSigning;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * CloudFront signing, when the application is deployed behind a CloudFront distribution that trusts a
 * key pair of its own ({@code media.delivery.cloudfront.domain} set; nothing of this exists otherwise):
 * <ul>
 * <li>{@code media.delivery.cloudfront.domain}: the address viewers use, such as
 * {@code https://d111111abcdef8.cloudfront.net} or a custom host, without a path;</li>
 * <li>{@code media.delivery.cloudfront.key-pair-id}: the id of the public key in the distribution's
 * trusted key group;</li>
 * <li>its RSA private key, unencrypted PEM (PKCS#8 or PKCS#1), as text in
 * {@code media.delivery.cloudfront.private-key} or in the file {@code media.delivery.cloudfront.private-key-file}:
 * exactly one of the two;</li>
 * <li>{@code media.delivery.cloudfront.cookie-domain} (optional): the Domain of the stream cookies, a
 * parent the application's host shares with the distribution's ({@code example.com} for
 * {@code api.example.com} and {@code media.example.com}); without it they are host-only cookies,
 * right when the cookie route is itself fetched through the distribution.</li>
 * </ul>
 * With it, the asset API adds a CloudFront signed URL ({@code cdnUrl}) next to each of its own, and
 * {@code GET /streams/{id}/cdn-cookies} ({@link CdnCookiesController}) gives a key of the asset's
 * tenant the cookies that open the stream's prefix. A value that cannot work stops the start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${media.delivery.cloudfront.domain:}' != ''")
class CloudFrontConfiguration {

    @Bean
    CloudFrontSigning cloudFrontSigning(@Value("${media.delivery.cloudfront.domain}") String domain,
            @Value("${media.delivery.cloudfront.key-pair-id:}") String keyPairId,
            @Value("${media.delivery.cloudfront.private-key:}") String privateKey,
            @Value("${media.delivery.cloudfront.private-key-file:}") String privateKeyFile) {
        URI distribution;
        try {
            distribution = new URI(domain.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("media.delivery.cloudfront.domain is an https://host address, not '" + shorten(domain) + "'", e);
        }
        if (keyPairId.isBlank()) {
            throw new IllegalArgumentException("media.delivery.cloudfront.domain is set but media.delivery.cloudfront.key-pair-id is not: "
                    + "the id of the public key in the distribution's trusted key group (such as K2JCJMDEHXQW5F)");
        }
        boolean text = !privateKey.isBlank();
        boolean file = !privateKeyFile.isBlank();
        if (text == file) {
            throw new IllegalArgumentException("CloudFront signing takes its RSA private key from exactly one of "
                    + "media.delivery.cloudfront.private-key (PEM text) and media.delivery.cloudfront.private-key-file (a PEM file), "
                    + (text ? "not both" : "and neither is set"));
        }
        return text ? CloudFrontSigning.of(distribution, keyPairId.strip(), privateKey)
                : CloudFrontSigning.of(distribution, keyPairId.strip(), Path.of(privateKeyFile.strip()));
    }

    private static String shorten(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }
}
