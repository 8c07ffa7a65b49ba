package dev.mediapipeline.app.assets;

import dev.mediapipeline.app.delivery.StreamUrls;
import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.asset.AssetLifecycle;
import dev.mediapipeline.core.asset.Assets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The asset API's read side, scoped to the key's tenant (an admin's key sees every tenant's):
 * pages of assets through an opaque cursor, one asset with its current version, its versions.
 * Another tenant's asset answers 404, exactly as one that does not exist.
 */
@RestController
@RequestMapping("/assets")
@Tag(name = "assets", description = "Published assets of this key's tenant")
class AssetsController {

    /** The most ids one bulk delete takes. */
    static final int MAX_BULK = 1000;

    private final Assets assets;
    private final AssetLifecycle lifecycle;
    private final dev.mediapipeline.app.security.UrlSigning signing;
    private final StreamUrls streamUrls;
    private final java.time.Duration trashRetention;
    /** null when CloudFront is not configured: no cdnUrl */
    private final dev.mediapipeline.core.signing.CloudFrontSigning cloudFront;
    private final java.time.Clock clock;
    private final java.time.Duration signedUrlTtl;

    AssetsController(Assets assets, AssetLifecycle lifecycle, dev.mediapipeline.app.security.UrlSigning signing, StreamUrls streamUrls,
            @org.springframework.beans.factory.annotation.Value("${media.assets.trash-retention:30d}") java.time.Duration trashRetention,
            org.springframework.beans.factory.ObjectProvider<dev.mediapipeline.core.signing.CloudFrontSigning> cloudFront, java.time.Clock clock,
            @org.springframework.beans.factory.annotation.Value("${media.delivery.signed-url-ttl:1h}") java.time.Duration signedUrlTtl) {
        this.assets = assets;
        this.lifecycle = lifecycle;
        this.signing = signing;
        this.streamUrls = streamUrls;
        this.trashRetention = trashRetention;
        this.cloudFront = cloudFront.getIfAvailable();
        this.clock = clock;
        this.signedUrlTtl = signedUrlTtl;
    }

    private static AssetLifecycle.Actor actor() {
        var caller = Callers.current();
        return new AssetLifecycle.Actor(caller.keyId(), caller.tenantFilter());
    }

    record BulkDelete(List<String> ids) {
    }

    /** What a bulk delete did: the ids moved to the trash, and those not found (unknown, another tenant's, already in the trash). */
    record BulkDeleted(List<UUID> deleted, List<String> notFound) {
    }

    @org.springframework.web.bind.annotation.DeleteMapping("/{id}")
    @Operation(summary = "Moves an asset to the trash (204): gone from lists and delivery at once, restorable for "
            + "media.assets.trash-retention (30 days); ?purge=true removes it for good at once, with every stored file only it used")
    org.springframework.http.ResponseEntity<Void> delete(@PathVariable String id, @RequestParam(required = false) String purge) {
        if (purge != null && !purge.equals("true") && !purge.equals("false")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "purge must be true or false");
        }
        UUID asset = uuid(id);
        boolean trashed = !lifecycle.trash(actor(), List.of(asset), trashRetention).isEmpty();
        // ?purge=true also takes an asset already in the trash
        if ("true".equals(purge) ? !lifecycle.purgeNow(actor(), asset) : !trashed) {
            throw notFound(id);
        }
        return org.springframework.http.ResponseEntity.noContent().build();
    }

    @org.springframework.web.bind.annotation.PostMapping("/delete")
    @Operation(summary = "Moves many assets to the trash at once: {\"ids\": [...]} (at most 1000)")
    BulkDeleted deleteMany(@org.springframework.web.bind.annotation.RequestBody BulkDelete request) {
        if (request == null || request.ids() == null || request.ids().isEmpty() || request.ids().size() > MAX_BULK) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "ids: 1 to " + MAX_BULK + " asset ids");
        }
        List<UUID> ids = new java.util.ArrayList<>();
        List<String> notFound = new java.util.ArrayList<>();
        for (String id : request.ids()) {
            try {
                ids.add(UUID.fromString(id));
            } catch (IllegalArgumentException | NullPointerException e) {
                notFound.add(String.valueOf(id).length() > 64 ? String.valueOf(id).substring(0, 64) : String.valueOf(id));
            }
        }
        List<UUID> deleted = ids.isEmpty() ? List.of() : lifecycle.trash(actor(), ids, trashRetention);
        ids.stream().filter(id -> !deleted.contains(id)).map(UUID::toString).distinct().forEach(notFound::add);
        return new BulkDeleted(deleted, notFound);
    }

    @org.springframework.web.bind.annotation.PostMapping("/{id}/restore")
    @Operation(summary = "Takes an asset out of the trash while it is still there (404 once purged or never deleted)")
    DetailView restore(@PathVariable String id) {
        if (!lifecycle.restore(actor(), uuid(id))) {
            throw notFound(id);
        }
        return get(id);
    }

    record VisibilityChange(String visibility) {
    }

    @org.springframework.web.bind.annotation.PatchMapping("/{id}")
    @Operation(summary = "Sets who may read an asset: {\"visibility\": \"public\"} lets anyone read its renditions, poster and "
            + "stream without a key (never its original); \"private\" (every asset's default) needs a key of its tenant or a signed URL")
    DetailView patch(@PathVariable String id, @org.springframework.web.bind.annotation.RequestBody VisibilityChange change) {
        if (change == null || change.visibility() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "visibility: public or private");
        }
        try {
            if (!lifecycle.visibility(actor(), uuid(id), change.visibility())) {
                throw notFound(id);
            }
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return get(id);
    }

    @org.springframework.web.bind.annotation.PostMapping("/{id}/versions/{version}/restore")
    @Operation(summary = "Makes version n current again; the version that was current stays one of the asset's versions, "
            + "the change is recorded, and the asset's URLs are purged from the CDN")
    DetailView restoreVersion(@PathVariable String id, @PathVariable String version) {
        if (!version.matches("[1-9]\\d{0,8}")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no version " + (version.length() > 16 ? version.substring(0, 16) : version));
        }
        switch (lifecycle.restoreVersion(actor(), uuid(id), Integer.parseInt(version))) {
            case NO_SUCH_ASSET -> throw notFound(id);
            case NO_SUCH_VERSION -> throw new ResponseStatusException(HttpStatus.NOT_FOUND, "asset " + id + " has no version " + version);
            case ALREADY_CURRENT -> throw new ResponseStatusException(HttpStatus.CONFLICT, "version " + version + " is already current");
            case RESTORED -> {
                // the asset's current version changed
            }
        }
        return get(id);
    }

    /**
     * A rendition with the URL that serves it, signed (the asset is private) for media.delivery.signed-url-ttl, and with
     * CloudFront configured the distribution's URL of the same path ({@code cdnUrl}), signed (canned policy) until the same
     * instant; null without CloudFront.
     */
    record RenditionView(String format, String contentType, int width, int height, long bytes, String sha256, String url, String cdnUrl) {
    }

    /**
     * An asset as {@link Assets.Detail}, with the URLs of its original and renditions, signed, and with CloudFront configured
     * their distribution's signed URLs ({@code originalCdnUrl}, each rendition's {@code cdnUrl}).
     */
    record DetailView(UUID id, UUID tenantId, String kind, String originalFilename, Instant createdAt, Instant updatedAt,
            int currentVersion, String visibility, Assets.Original original, String originalUrl, String originalCdnUrl,
            List<RenditionView> renditions, StreamView stream, List<RenditionView> poster) {
    }

    /**
     * A video's stream as {@link Assets.Stream}, with its master playlist ({@code hls}) and MPD ({@code dash}) URLs, signed;
     * with CloudFront configured also the distribution's ({@code cdnHls}, {@code cdnDash}), unsigned: a player reads them
     * with the stream's signed cookies ({@code GET /streams/{id}/cdn-cookies}), which cover every object under the stream.
     */
    record StreamView(String hls, String dash, String cdnHls, String cdnDash, double durationSeconds, int width, int height,
            String videoCodec, String audioCodec, int segments, long bytes, String renditions, String packaging) {
    }

    @GetMapping
    @Operation(summary = "Assets, newest first: {items, nextCursor}; pass nextCursor as cursor for the next page (none on the last)",
            description = "limit 1 to 500 (50 when absent); kind image or video; createdAfter and createdBefore as ISO-8601 instants; "
                    + "filename: a part of the original file name, case-insensitive. The cursor is stable while new assets arrive.")
    Assets.Page list(@RequestParam(required = false) String limit, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String kind, @RequestParam(required = false) String createdAfter,
            @RequestParam(required = false) String createdBefore, @RequestParam(required = false) String filename) {
        Assets.Query query;
        try {
            query = new Assets.Query(limit == null ? null : integer("limit", limit), cursor, kind, instant("createdAfter", createdAfter),
                    instant("createdBefore", createdBefore), filename);
            return assets.list(Callers.current().tenantFilter(), query);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @GetMapping("/{id}")
    @Operation(summary = "An asset: kind, original file name, created, its current version's original, renditions (an image's), "
            + "stream and poster renditions (a video's)")
    DetailView get(@PathVariable String id) {
        Assets.Detail d = assets.get(Callers.current().tenantFilter(), uuid(id)).orElseThrow(() -> notFound(id));
        String base = "/media/" + d.id();
        return view(d, base, clock.instant().plus(signedUrlTtl));
    }

    /** The asset's view, every URL in it signed until {@code expires}: the application's and CloudFront's alike. */
    private DetailView view(Assets.Detail d, String base, Instant expires) {
        return new DetailView(d.id(), d.tenantId(), d.kind(), d.originalFilename(), d.createdAt(), d.updatedAt(), d.currentVersion(),
                d.visibility(), d.original(), signing.signed(base + "/original", expires), cdnUrl(base + "/original", expires),
                views(base, d.renditions(), expires), stream(d), views(base, d.poster(), expires));
    }

    /** The distribution's signed URL of a path until {@code expires}; null without CloudFront. */
    private String cdnUrl(String path, Instant expires) {
        return cloudFront == null ? null : cloudFront.signedUrl(path, expires).toString();
    }

    private StreamView stream(Assets.Detail d) {
        Assets.Stream s = d.stream();
        if (s == null) {
            return null;
        }
        StreamUrls.Urls urls = streamUrls.signed(d.id());
        String streamBase = "/streams/" + d.id() + "/";
        return new StreamView(urls.hls(), urls.dash(),
                cloudFront == null ? null : cloudFront.url(streamBase + dev.mediapipeline.core.media.PackagedVideo.MASTER_PLAYLIST).toString(),
                cloudFront == null ? null : cloudFront.url(streamBase + dev.mediapipeline.core.media.PackagedVideo.DASH_MANIFEST).toString(),
                s.durationSeconds(), s.width(), s.height(), s.videoCodec(), s.audioCodec(), s.segments(), s.bytes(), s.renditions(),
                s.packaging());
    }

    private List<RenditionView> views(String base, List<Assets.Rendition> renditions, Instant expires) {
        return renditions.stream().map(r -> {
            String path = base + "/" + r.format() + "/" + r.width();
            return new RenditionView(r.format(), r.contentType(), r.width(), r.height(), r.bytes(), r.sha256(), signing.signed(path, expires),
                    cdnUrl(path, expires));
        }).toList();
    }

    @GetMapping("/{id}/versions")
    @Operation(summary = "An asset's versions, oldest first, with what made each (profile, tools, scan engine, job execution)")
    List<Assets.Version> versions(@PathVariable String id) {
        return assets.versions(Callers.current().tenantFilter(), uuid(id)).orElseThrow(() -> notFound(id));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no asset " + (id.length() > 64 ? id.substring(0, 64) + "..." : id));
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + (value.length() > 32 ? value.substring(0, 32) : value)
                    + "'");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-29T12:00:00Z");
        }
    }
}
