package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.usage.DeliveryFormat;
import dev.mediapipeline.core.usage.UsageMeter;
import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.media.PackagedVideo;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The origin of a video's HLS and DASH streams, read by a key of its tenant with the read scope or
 * by a signature ({@link dev.mediapipeline.app.security.SignedUrlFilter}).
 *
 * <p>{@code /streams/{id}/master.m3u8} and {@code /streams/{id}/manifest.mpd} are the current
 * version's entry points, signed like {@code /media} URLs ({@code ?exp=&sig=}). They are rewritten
 * per request ({@link Playlists}) so that every child names the version's token directory,
 * {@code /streams/{id}/v{n}/~{exp}.{sig}/}: a signature over that version's prefix, valid for the
 * stream's duration and a margin ({@code media.delivery.stream-margin}, 30 min), the expiry rounded
 * up to a window ({@code media.delivery.stream-token-window}, 15 min) so that every viewer of a
 * window gets the same URLs and a CDN keeps one copy (the margin is at least the entry points'
 * max-age, so a cached one still names a token that lasts the stream). Media playlists are served as stored: their
 * relative URIs resolve under the token directory, so every request of a player carries the token.
 *
 * <p>{@code /streams/{id}/v{n}/~{token}/{path}} (and, for a key, {@code /streams/{id}/v{n}/{path}})
 * serves any object of that version's stream, which never changes once published: cached as
 * immutable. Range, ETag, 304 and 416 as {@code /media} ({@link ObjectResponses}).
 */
@RestController
@Tag(name = "delivery")
class StreamController {

    private static final long YEAR = 31536000;

    private final PublishedStreams streams;
    private final ObjectStore store;
    private final UrlSigning signing;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration margin;
    private final Duration window;
    private final DeliveryCounters counters;

    StreamController(PublishedStreams streams, ObjectStore store, UrlSigning signing, Clock clock,
            @Value("${media.delivery.max-age:5m}") Duration maxAge, @Value("${media.delivery.stream-margin:30m}") Duration margin,
            @Value("${media.delivery.stream-token-window:15m}") Duration window, DeliveryCounters counters) {
        this.counters = counters;
        if (margin.compareTo(maxAge) < 0) {
            // a cache may hand out an entry point that long after it was made: its token must still last the whole stream
            throw new IllegalArgumentException("media.delivery.stream-margin (" + margin + ") must be at least media.delivery.max-age ("
                    + maxAge + ")");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("media.delivery.stream-token-window must be a whole number of seconds, at least 1, not " + window);
        }
        this.streams = streams;
        this.store = store;
        this.signing = signing;
        this.clock = clock;
        this.maxAge = maxAge;
        this.margin = margin;
        this.window = window;
    }

    @GetMapping("/streams/{id}/" + PackagedVideo.MASTER_PLAYLIST)
    @Operation(summary = "A video's HLS master playlist (current version), every child URI under a token that holds for the stream's "
            + "duration and a margin; by a key of its tenant or a signed URL")
    void master(@PathVariable String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        entryPoint(id, PackagedVideo.MASTER_PLAYLIST, request, response);
    }

    @GetMapping("/streams/{id}/" + PackagedVideo.DASH_MANIFEST)
    @Operation(summary = "A video's DASH MPD (current version), with a BaseURL under a token that holds for the stream's duration "
            + "and a margin; by a key of its tenant or a signed URL")
    void manifest(@PathVariable String id, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        entryPoint(id, PackagedVideo.DASH_MANIFEST, request, response);
    }

    @GetMapping("/streams/{id}/{version}/{*path}")
    @Operation(summary = "An object of a video version's stream (media playlist, init or media segment): under the version's token "
            + "directory (v{n}/~{token}/...) as the entry points name them, or without a token by a key of its tenant")
    void object(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // read from the raw path, exactly as it was signed and before any decoding: every segment is checked before a key is built
        List<String> segments = Arrays.asList(request.getRequestURI().substring(request.getContextPath().length()).split("/", -1));
        // "", "streams", asset, "v<n>", ["~<token>"], path...
        UUID asset = assetId(segments.get(2));
        String v = segments.get(3);
        if (!v.matches("v[1-9]\\d{0,8}")) {
            throw notFound();
        }
        int version = Integer.parseInt(v.substring(1));
        String prefix = "/streams/" + asset + "/" + v + "/";
        boolean tokened = segments.size() > 4 && segments.get(4).startsWith("~");
        List<String> path = segments.subList(tokened ? 5 : 4, segments.size());
        String type = path.isEmpty() || !Playlists.validPath(path) ? null : contentType(path.getLast());
        if (type == null) {
            throw notFound();
        }
        // the filter verified any token in the path for this very path's prefix (403 otherwise); a key presented as well
        // authenticates the request in its place. A version's objects are never read by a signed URL of their own.
        Optional<String> signedPrefix = Callers.signedPrefix();
        if (Callers.signedPath().isPresent() || signedPrefix.isPresent() && (!tokened || !signedPrefix.get().equals(prefix))) {
            throw notFound();
        }
        Optional<UUID> open = Callers.publicAsset();
        if (open.isPresent() && !open.get().equals(asset)) {
            throw notFound();
        }
        boolean pull = Callers.cdnPull();
        UUID tenantFilter = signedPrefix.isPresent() || open.isPresent() || pull ? null : Callers.current().tenantFilter();
        Long expires = null;
        if (signedPrefix.isPresent()) {
            String token = segments.get(4); // ~<exp>.<sig>, in the one spelling the filter took
            expires = Long.parseLong(token.substring(1, token.indexOf('.')));
        }
        // anonymous: the current version's stream only, as /media serves only the current version's renditions
        PublishedStreams.Stream stream = (open.isPresent() ? streams.current(null, asset).filter(c -> c.version() == version)
                : streams.version(tenantFilter, asset, version)).orElseThrow(StreamController::notFound);
        String key = stream.prefix() + String.join("/", path);
        ObjectStore.ObjectInfo info = store.head(stream.bucket(), key).orElseThrow(StreamController::notFound);
        if (type.equals("video/mp4") && "audio/mp4".equals(info.contentType())) {
            type = "audio/mp4"; // an audio track's init segment, as the packager stored it
        }
        // a public asset's objects: briefly, since it may be made private (then purged); with a token or a key: for good
        String cacheControl = open.isPresent() ? "public, max-age=" + maxAge.toSeconds()
                : pull ? "public, max-age=" + YEAR + ", immutable"
                : expires == null ? "private, max-age=" + YEAR + ", immutable"
                : "public, max-age=" + Math.max(0, Math.min(YEAR, expires - clock.instant().getEpochSecond())) + ", immutable";
        ObjectResponses.serve(new ObjectResponses.Representation(objectTag(stream.bucket(), key, info.size()), info.size(), type,
                cacheControl, null), ObjectResponses.stored(store, stream.bucket(), key, "a stream object of asset " + asset),
                request, response, counters, "stream", DeliveryFormat.of(type), new UsageMeter.Subject(stream.tenantId(), asset, "stream"));
    }

    /** The current version's master playlist or MPD, rewritten with its token directory. */
    private void entryPoint(String id, String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID asset = assetId(id);
        // a signed URL names its asset in the path it signs: the signature is the tenant's say-so for that asset's stream only
        Optional<String> signed = Callers.signedPath();
        if (signed.isPresent() && !signed.get().equals("/streams/" + asset + "/" + name)) {
            throw notFound();
        }
        Optional<UUID> open = Callers.publicAsset();
        if (open.isPresent() && !open.get().equals(asset)) {
            throw notFound();
        }
        UUID tenantFilter = signed.isPresent() || open.isPresent() || Callers.cdnPull() ? null : Callers.current().tenantFilter();
        PublishedStreams.Stream stream = streams.current(tenantFilter, asset).orElseThrow(StreamController::notFound);
        boolean dash = name.equals(PackagedVideo.DASH_MANIFEST);
        byte[] stored = stored(stream.bucket(), dash ? stream.dashManifest() : stream.masterPlaylist());
        Instant now = clock.instant();
        String prefix = "/streams/" + asset + "/v" + stream.version() + "/";
        String base = prefix + "~" + signing.signer().signPrefix(prefix, tokenExpiry(now, stream.duration(), margin, window)) + "/";
        byte[] body = dash ? Playlists.mpd(stored, base) : Playlists.hlsMaster(stored, base);
        String etag = "\"" + Sha256.hex(Sha256.newDigest().digest(body)) + "\"";
        // the current version's entry point changes with a re-processing, a restore and the token's window: briefly cached;
        // privately for a key, publicly for a signed URL (a CDN keys on it whole), never past the URL's expiry
        String cacheControl = open.isPresent() || Callers.cdnPull() ? "public, max-age=" + maxAge.toSeconds()
                : signed.isEmpty() ? "private, max-age=" + maxAge.toSeconds()
                : "public, max-age=" + Math.max(0, Math.min(maxAge.toSeconds(),
                        Long.parseLong(request.getParameter("exp")) - now.getEpochSecond()));
        ObjectResponses.serve(new ObjectResponses.Representation(etag, body.length,
                dash ? "application/dash+xml" : "application/vnd.apple.mpegurl", cacheControl, null),
                (first, last, whole) -> new ByteArrayInputStream(body, (int) first, (int) (last - first + 1)), request, response, counters, "stream",
                dash ? "mpd" : "m3u8", new UsageMeter.Subject(stream.tenantId(), asset, "stream"));
    }

    /**
     * When a token made {@code now} for a stream of {@code duration} expires: after the whole stream
     * and the margin, rounded up to the next multiple of the window (since the epoch), so that
     * every request of one window gets the same token.
     */
    static Instant tokenExpiry(Instant now, Duration duration, Duration margin, Duration window) {
        long at = now.plus(duration).plus(margin).toEpochMilli();
        long step = window.toMillis();
        return Instant.ofEpochMilli(Math.ceilDiv(at, step) * step);
    }

    /**
     * The ETag of a stream object: its version's objects never change once the version's stream row
     * is committed (a new version has a new prefix), so its place and size identify its bytes, and
     * no read of the object is needed to name them.
     */
    static String objectTag(String bucket, String key, long size) {
        byte[] digest = Sha256.newDigest().digest((bucket + "/" + key + "\n" + size).getBytes(StandardCharsets.UTF_8));
        return "\"" + Sha256.hex(digest).substring(0, 32) + "\"";
    }

    /** A stored entry point, read whole up to {@link Playlists#MAX_BYTES}. */
    private byte[] stored(String bucket, String key) throws IOException {
        try (InputStream in = store.get(bucket, key)
                .orElseThrow(() -> new IllegalStateException("stream entry point " + key + " is missing from " + bucket))) {
            byte[] bytes = in.readNBytes(Playlists.MAX_BYTES + 1);
            if (bytes.length > Playlists.MAX_BYTES) {
                throw new IllegalStateException("stream entry point " + key + " is over " + Playlists.MAX_BYTES + " bytes: not rewritten");
            }
            return bytes;
        }
    }

    /** The content type of a stream object by its name; null for a name a stream does not have. */
    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "m3u8" -> "application/vnd.apple.mpegurl";
            case "mpd" -> "application/dash+xml";
            case "mp4" -> "video/mp4";
            case "m4s" -> "video/iso.segment";
            default -> null;
        };
    }

    /** An asset id in its one spelling (lower case, as the URLs are signed): any other is not found. */
    static UUID assetId(String id) {
        return Ids.canonical(id).orElseThrow(StreamController::notFound);
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no such asset or stream");
    }
}
