package dev.mediapipeline.app.delivery;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.asset.Assets;
import dev.mediapipeline.core.storage.ObjectStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * How {@code /media} hands out an object's bytes, by {@code media.delivery.mode}, one setting for the
 * whole deployment:
 * <ul>
 * <li>{@code origin} (the default): the application streams them itself ({@link ObjectResponses}).</li>
 * <li>{@code presigned}: a request the security layer let in (a key of the asset's tenant, the
 * application's own signed URL, a public asset) answers {@code 302 Found} to an S3 presigned GET URL
 * of the object, which expires after {@code media.delivery.presign-ttl} (5 min), and never after the
 * signed URL the request came by. S3 then answers ranges, validators and the bytes; the application
 * only decides who may read. The redirect is {@code private, no-store}: it names a URL that expires,
 * so no cache may hand it out later (nor one viewer's to another), and every request makes a new one.
 * With {@code ?download=1} the presign asks S3 for the {@code Content-Disposition} the origin would
 * send, under the same file name.</li>
 * </ul>
 *
 * <p>Streams ({@code /streams/**}) stay on the origin in both modes: a player reaches a stream's
 * playlists and segments by the URIs its playlists name, and players and CDNs cache playlists, so a
 * per-segment presign written into one would be dead in every cached copy after a few minutes (and
 * new at every request, so never cached at all), while the origin's prefix token lasts the whole
 * stream ({@link StreamController}).
 */
@Component
class PresignedDelivery {

    /** S3's longest presign (SigV4): seven days. */
    static final Duration MAX_TTL = Duration.ofDays(7);

    private final ObjectStore store;
    private final Clock clock;
    private final boolean presigned;
    private final Duration ttl;

    PresignedDelivery(ObjectStore store, Clock clock, @Value("${media.delivery.mode:origin}") String mode,
            @Value("${media.delivery.presign-ttl:5m}") Duration ttl) {
        this.store = store;
        this.clock = clock;
        this.presigned = presigned(mode);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0 || ttl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("media.delivery.presign-ttl is a whole number of seconds from 1s to 7d (S3's longest presign), not "
                    + ttl);
        }
        this.ttl = ttl;
    }

    /** {@code origin}: false; {@code presigned}: true; anything else stops the start with what the choices are. */
    static boolean presigned(String mode) {
        String value = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "origin" -> false;
            case "presigned" -> true;
            default -> throw new IllegalArgumentException("media.delivery.mode is origin (the application serves the bytes) or presigned "
                    + "(302 to an S3 presigned URL), not '" + (value.length() > 32 ? value.substring(0, 32) + "..." : value) + "'");
        };
    }

    /** Whether {@code /media} answers with a redirect to S3 rather than with the bytes. */
    boolean enabled() {
        return presigned;
    }

    /**
     * Answers {@code 302 Found} to a presigned GET URL of the object (a HEAD as a GET: S3 answers the
     * HEAD the client sends it next).
     *
     * @param contentDisposition what the origin would send ({@code ?download=1}), or null: its file name goes into the presign
     */
    void redirect(Assets.StoredObject object, String contentDisposition, HttpServletRequest request, HttpServletResponse response) {
        long seconds = ttl.toSeconds();
        if (Callers.signedPath().isPresent()) {
            // never outlive the signed URL that let the request in (the filter checked exp: digits, not past). The presigner
            // stamps its own second (X-Amz-Date, truncated), possibly the next one by now: one second is kept back for it
            long left = Long.parseLong(request.getParameter("exp")) - clock.instant().getEpochSecond() - 1;
            if (left < 1) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this signed URL has expired");
            }
            seconds = Math.min(seconds, left);
        }
        String filename = contentDisposition == null ? null : asciiFilename(ContentDisposition.parse(contentDisposition).getFilename());
        URI url = store.presignGet(object.bucket(), object.key(), Duration.ofSeconds(seconds), filename);
        response.setStatus(HttpStatus.FOUND.value());
        response.setHeader(HttpHeaders.LOCATION, url.toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
        response.setContentLength(0);
    }

    /**
     * The file name as the presign can carry it: {@link ObjectStore#presignGet} writes a plain
     * {@code filename="..."}, which S3 sends back byte for byte, and only ASCII survives that in
     * every client; so each character beyond printable ASCII (and a quote or backslash) becomes
     * {@code _}. The origin's own answer also has {@code filename*} with the whole name in UTF-8.
     */
    static String asciiFilename(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder ascii = new StringBuilder(name.length());
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        return ascii.toString();
    }
}
