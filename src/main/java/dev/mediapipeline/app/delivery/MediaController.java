package dev.mediapipeline.app.delivery;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.asset.Assets;
import dev.mediapipeline.core.usage.DeliveryFormat;
import dev.mediapipeline.core.usage.UsageMeter;
import dev.mediapipeline.core.staging.FileNames;
import dev.mediapipeline.core.storage.ObjectStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The origin: an asset's original and renditions by path ({@code /media/{id}/original},
 * {@code /media/{id}/{format}/{width}}), read by a key of its tenant with the read scope, or by a
 * signed URL. Streamed from S3 without holding the object: one byte range ({@code Range}, 206 and
 * 416, {@code If-Range}), {@code ETag} (the content address), {@code If-None-Match} (304),
 * {@code Accept-Ranges}, and {@code Content-Disposition} with the original's sanitised name for
 * {@code ?download=1}. The URL names the current version, whose bytes a re-processing or a restore
 * changes: cached briefly and revalidated by the ETag (see {@link #cacheControl}).
 */
@RestController
@Tag(name = "delivery", description = "Originals and renditions, by a key of their tenant or a signed URL")
class MediaController {

    private static final List<String> FORMATS = List.of("jpeg", "png", "webp");

    private final Assets assets;
    private final ObjectStore store;
    private final Clock clock;
    private final java.time.Duration maxAge;
    private final PresignedDelivery presigned;
    private final DeliveryCounters counters;

    MediaController(Assets assets, ObjectStore store, Clock clock,
            @org.springframework.beans.factory.annotation.Value("${media.delivery.max-age:5m}") java.time.Duration maxAge,
            PresignedDelivery presigned, DeliveryCounters counters) {
        this.counters = counters;
        this.assets = assets;
        this.store = store;
        this.clock = clock;
        this.maxAge = maxAge;
        this.presigned = presigned;
    }

    @GetMapping("/media/{id}/original")
    @Operation(summary = "An asset's original as uploaded (with the uploader's metadata): its tenant's keys or a signed URL only")
    void original(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(find(id, List.of(), null), null, request, response);
    }

    @GetMapping("/media/{id}/{format}/{width}")
    @Operation(summary = "A rendition of the asset's current version: jpeg, png or webp, at one of its widths")
    void rendition(@PathVariable String id, @PathVariable String format, @PathVariable String width, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        if (!FORMATS.contains(format) || !width.matches("[1-9]\\d{0,4}")) {
            throw notFound();
        }
        Assets.StoredObject found = find(id, List.of(format), Integer.parseInt(width));
        serve(found, "-" + Integer.parseInt(width) + "." + extension(found.contentType()), request, response);
    }

    @GetMapping("/media/{id}/auto/{width}")
    @Operation(summary = "The rendition at that width in the best format the request's Accept allows (WebP, else JPEG or PNG); "
            + "Vary: Accept. Never the original")
    void auto(@PathVariable String id, @PathVariable String width, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byAccept(id, width, false, request, response);
    }

    @GetMapping("/media/{id}/poster/{width}")
    @Operation(summary = "A video's poster frame at that width in the best format the request's Accept allows (WebP, else JPEG); "
            + "Vary: Accept")
    void poster(@PathVariable String id, @PathVariable String width, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byAccept(id, width, true, request, response);
    }

    /** The rendition at that width in the format the request's Accept prefers; for {@code poster}, a video's only. */
    private void byAccept(String id, String width, boolean poster, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!width.matches("[1-9]\\d{0,4}")) {
            throw notFound();
        }
        // added to the Vary: Origin that CORS put there, never in its place
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        int w = Integer.parseInt(width);
        Assets.StoredObject found = find(id, preferred(request.getHeader(HttpHeaders.ACCEPT)), w);
        if (poster && !found.kind().equals("video")) {
            throw notFound(); // an image has renditions, not a poster
        }
        serve(found, (poster ? "-poster-" : "-") + w + "." + extension(found.contentType()), request, response);
    }

    /** WebP first when the client takes it (q above 0), then the formats every client takes: JPEG, and PNG for transparency. */
    static List<String> preferred(String accept) {
        boolean webp = false;
        if (accept != null && accept.length() <= 1000) {
            try {
                for (org.springframework.http.MediaType type : org.springframework.http.MediaType.parseMediaTypes(accept)) {
                    if (type.getQualityValue() > 0 && type.getType().equals("image") && type.getSubtype().equals("webp")) {
                        webp = true;
                    }
                }
            } catch (org.springframework.http.InvalidMediaTypeException e) {
                // an unreadable Accept: what every client takes
            }
        }
        return webp ? List.of("webp", "jpeg", "png") : List.of("jpeg", "png");
    }

    /** The file name extension of a rendition's content type: jpg, png or webp. */
    private static String extension(String contentType) {
        return switch (contentType) {
            case "image/jpeg" -> "jpg";
            case "image/png" -> "png";
            default -> "webp";
        };
    }

    /** The original ({@code formats} empty) or the rendition in the first of {@code formats} the asset has at that width. */
    private Assets.StoredObject find(String id, List<String> formats, Integer width) {
        UUID asset = Ids.canonical(id).orElseThrow(MediaController::notFound);
        // a signed URL names its asset in the path it signs: the signature is the tenant's say-so for that asset only
        Optional<String> signed = Callers.signedPath();
        if (signed.isPresent() && !signed.get().startsWith("/media/" + asset + "/")) {
            throw notFound();
        }
        // anonymous: a public asset's renditions, never its original
        Optional<UUID> open = Callers.publicAsset();
        if (open.isPresent() && (!open.get().equals(asset) || formats.isEmpty())) {
            throw notFound();
        }
        // the deployment's CDN, fetching for a viewer it checked: any asset
        UUID tenantFilter = signed.isPresent() || open.isPresent() || Callers.cdnPull() ? null : Callers.current().tenantFilter();
        return assets.object(tenantFilter, asset, formats, width).orElseThrow(MediaController::notFound);
    }

    private void serve(Assets.StoredObject object, String suffix, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // the delivery metrics' format: an original is an original, whatever its type (a video's is video/mp4)
        String format = suffix == null ? "original" : DeliveryFormat.of(object.contentType());
        UsageMeter.Subject subject = new UsageMeter.Subject(object.tenantId(), object.assetId(), suffix == null ? "original" : "image");
        String disposition = null;
        if ("1".equals(request.getParameter("download"))) {
            String name = FileNames.sanitize(object.originalFilename(), object.assetId().toString());
            if (suffix != null) {
                // a rendition: the original's name with its width and its own format's extension
                int dot = name.lastIndexOf('.');
                name = (dot > 0 ? name.substring(0, dot) : name) + suffix;
            }
            disposition = ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString();
        }
        if (presigned.enabled()) {
            presigned.redirect(object, disposition, request, response); // media.delivery.mode=presigned: S3 serves the bytes
            counters.count(request, "media", format, subject, "redirect", 0);
            return;
        }
        ObjectResponses.serve(new ObjectResponses.Representation("\"" + object.sha256() + "\"", object.size(), object.contentType(),
                cacheControl(request), disposition),
                ObjectResponses.stored(store, object.bucket(), object.key(), "asset " + object.assetId()), request, response, counters,
                "media", format, subject);
    }

    /**
     * The current version's bytes are served at this URL, and a re-processing or a restore changes
     * them: a short max-age ({@code media.delivery.max-age}, 5 min), revalidated by the ETag;
     * privately for a key's request, publicly for a public asset's, and publicly (a CDN may keep it,
     * keyed on the whole signed URL) for a signed one, never past its expiry.
     */
    private String cacheControl(HttpServletRequest request) {
        if (Callers.publicAsset().isPresent() || Callers.cdnPull()) {
            return "public, max-age=" + maxAge.toSeconds();
        }
        if (Callers.signedPath().isEmpty()) {
            return "private, max-age=" + maxAge.toSeconds();
        }
        long exp = Long.parseLong(request.getParameter("exp"));
        long left = Math.max(0, Math.min(maxAge.toSeconds(), exp - clock.instant().getEpochSecond()));
        return "public, max-age=" + left;
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no such asset or rendition");
    }
}
