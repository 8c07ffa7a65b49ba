package dev.mediapipeline.app.delivery;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.signing.CloudFrontSigning;
import dev.mediapipeline.core.tenant.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /streams/{id}/cdn-cookies}: the three CloudFront signed cookies ({@code CloudFront-Policy},
 * {@code CloudFront-Signature}, {@code CloudFront-Key-Pair-Id}) that let a browser play a video's
 * stream from the distribution: a custom policy on the stream's prefix
 * ({@code https://<distribution>/streams/{id}/*}), valid for the stream's duration and
 * {@code media.delivery.stream-margin} (30 min). One policy covers the playlists and every segment, so
 * nothing is signed per object and cached playlists stay valid.
 *
 * <p>Only for an API key of the asset's tenant with the read scope (the route is under
 * {@code /streams/**}, whose GET needs read): a signed URL or a public asset lets a request in to
 * delivery routes, but the cookies open the whole stream for as long as it plays plus the margin,
 * which is the tenant's to hand out, so such a request is refused (403). Another tenant's asset, one in
 * the trash or one without a stream: 404, as an asset that does not exist. 404 as well when CloudFront
 * is not configured ({@link CloudFrontConfiguration}). Never cached: the answer is one caller's.
 */
@RestController
@Tag(name = "delivery")
class CdnCookiesController {

    private final CloudFrontSigning cloudFront;
    private final PublishedStreams streams;
    private final Clock clock;
    private final Duration margin;
    private final String cookieDomain;

    CdnCookiesController(ObjectProvider<CloudFrontSigning> cloudFront, PublishedStreams streams, Clock clock,
            @Value("${media.delivery.stream-margin:30m}") Duration margin,
            @Value("${media.delivery.cloudfront.cookie-domain:}") String cookieDomain) {
        String domain = cookieDomain.strip();
        if (!domain.isEmpty() && !domain.matches("(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            throw new IllegalArgumentException("media.delivery.cloudfront.cookie-domain is a host name such as example.com, not '"
                    + (domain.length() > 100 ? domain.substring(0, 100) + "..." : domain) + "'");
        }
        this.cloudFront = cloudFront.getIfAvailable();
        this.streams = streams;
        this.clock = clock;
        this.margin = margin;
        this.cookieDomain = domain.isEmpty() ? null : domain;
    }

    @GetMapping("/streams/{id}/cdn-cookies")
    @Operation(summary = "204 with the CloudFront signed cookies of a video's stream (its prefix, for its duration and a margin): "
            + "by a key of the asset's tenant only, never a signed URL; 404 without CloudFront configured")
    ResponseEntity<Void> cookies(@PathVariable String id) {
        if (cloudFront == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "CloudFront is not configured (media.delivery.cloudfront.domain): "
                    + "no CDN cookies");
        }
        UUID asset = StreamController.assetId(id);
        // a signed URL, a stream token, a public asset or a CDN pull let the request in: none is the tenant's say-so for cookies
        Caller caller = Callers.key().orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN,
                "CDN cookies are given to an API key of the asset's tenant only, not to a signed URL or an anonymous request"));
        PublishedStreams.Stream stream = streams.current(caller.tenantFilter(), asset)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such asset or stream"));
        Instant expires = clock.instant().plus(stream.duration()).plus(margin);
        CloudFrontSigning.StreamCookies cookies = cloudFront.streamCookies("/streams/" + asset + "/", expires);
        HttpHeaders headers = new HttpHeaders();
        cookies.setCookieHeaders(cookieDomain).forEach(cookie -> headers.add(HttpHeaders.SET_COOKIE, cookie));
        headers.setCacheControl("private, no-store");
        return ResponseEntity.noContent().headers(headers).build();
    }

}
