package dev.mediapipeline.app.delivery;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.core.download.DownloadBatch;
import dev.mediapipeline.core.usage.DeliveryFormat;
import dev.mediapipeline.core.usage.UsageMeter;
import dev.mediapipeline.core.storage.ObjectStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A finished batch download's archive, from the published bucket through the application: by the
 * download's signed link ({@code GET /downloads/{id}} gives it, expiring
 * {@code media.downloads.link-expiry} after the archive was completed, the same link every time),
 * or by a key that sees the download. Ranged, so that a broken transfer of a large archive resumes.
 */
@RestController
@Tag(name = "downloads")
public class ArchiveController {

    private final DownloadBatch downloads;
    private final ObjectStore store;
    private final DeliveryCounters counters;

    ArchiveController(DownloadBatch downloads, ObjectStore store, DeliveryCounters counters) {
        this.counters = counters;
        this.downloads = downloads;
        this.store = store;
    }

    /** The path a download's link signs. */
    public static String path(UUID download) {
        return "/downloads/" + download + "/archive";
    }

    @GetMapping("/downloads/{id}/archive")
    @Operation(summary = "A complete download's ZIP (Range supported): by its signed link, or a key that sees the download")
    void archive(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID download = Ids.canonical(id).orElseThrow(ArchiveController::notFound);
        Optional<String> signed = Callers.signedPath();
        if (signed.isPresent() && !signed.get().equals(path(download))) {
            throw notFound();
        }
        DownloadBatch.Download d = downloads.find(download)
                // a key: as GET /downloads/{id} (an admin's all-tenant download is no tenant key's, not even its own tenant's)
                .filter(found -> signed.isPresent() || Callers.key().map(caller -> caller.isAdmin()
                        || !found.allTenants() && caller.sees(found.tenantId())).orElse(false))
                .filter(found -> found.state().equals("COMPLETE") && found.size() != null)
                .orElseThrow(ArchiveController::notFound);
        String disposition = ContentDisposition.attachment().filename("media-" + download + ".zip", StandardCharsets.UTF_8).build().toString();
        // an archive never changes once complete; a large private file is not for shared caches
        ObjectResponses.serve(new ObjectResponses.Representation("\"" + download + "\"", d.size(), "application/zip", "private, no-store",
                disposition), ObjectResponses.stored(store, d.bucket(), d.objectKey(), "download " + download + "'s archive"),
                request, response, counters, "archive", "zip",
                new UsageMeter.Subject(d.tenantId(), DeliveryFormat.NO_ASSET, "archive"));
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no complete download by that id");
    }
}
