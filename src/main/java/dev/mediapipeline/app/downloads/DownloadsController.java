package dev.mediapipeline.app.downloads;

import dev.mediapipeline.app.delivery.ArchiveController;
import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.download.DownloadBatch;
import dev.mediapipeline.core.tenant.Caller;
import dev.mediapipeline.jobs.control.JobDeclaration;
import dev.mediapipeline.core.download.DownloadProperties;
import dev.mediapipeline.core.storage.S3Properties;
import dev.mediapipeline.jobs.control.JobControl;
import dev.mediapipeline.jobs.control.JobControlException;
import dev.mediapipeline.jobs.download.DownloadJobConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Batch downloads: request a ZIP of many assets' renditions, poll it, fetch its link. */
@RestController
@RequestMapping("/downloads")
@Tag(name = "downloads", description = "ZIP archives of many assets, made by the batchDownload job")
class DownloadsController {

    private final DownloadBatch downloads;
    private final JobControl jobs;
    private final S3Properties s3;
    private final DownloadProperties properties;
    private final UrlSigning signing;
    private final java.time.Clock clock;

    DownloadsController(DownloadBatch downloads, JobControl jobs, S3Properties s3, DownloadProperties properties, UrlSigning signing,
            java.time.Clock clock) {
        this.downloads = downloads;
        this.jobs = jobs;
        this.s3 = s3;
        this.properties = properties;
        this.signing = signing;
        this.clock = clock;
    }

    /**
     * @param assetIds     the assets, or
     * @param createdAfter those whose current version was made after this ISO instant
     * @param renditions   comma separated: original, a format (its widest rendition) or format/width
     */
    record DownloadRequest(List<UUID> assetIds, String createdAfter, String renditions) {
    }

    record DownloadView(UUID id, String state, Integer entries, int partsUploaded, Long size, Long jobExecutionId,
            String jobStatus, Instant createdAt, Instant completedAt, String url, Instant urlExpiresAt, String failure) {
    }

    @PostMapping
    @Operation(summary = "Request a ZIP of the chosen renditions of assets (by id, or made after a time)",
            description = "202 with the download's URL to poll; the batchDownload job writes the archive.")
    ResponseEntity<DownloadView> request(@RequestBody DownloadRequest request) {
        if (request == null || (request.assetIds() == null || request.assetIds().isEmpty()) && request.createdAfter() == null) {
            throw bad("name the assets: assetIds, or createdAfter");
        }
        if (request.assetIds() != null && request.assetIds().size() > properties.maxEntries()) {
            throw bad("at most " + properties.maxEntries() + " asset ids per download (media.downloads.max-entries)");
        }
        if (request.createdAfter() != null) {
            try {
                Instant.parse(request.createdAfter());
            } catch (DateTimeParseException e) {
                throw bad("createdAfter must be an ISO instant such as 2026-11-01T00:00:00Z");
            }
        }
        List<String> renditions;
        try {
            renditions = DownloadBatch.parseRenditions(request.renditions() == null ? "original" : request.renditions());
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        Caller caller = Callers.current();
        if (request.assetIds() != null && !request.assetIds().isEmpty()) {
            List<UUID> missing = downloads.missingAssets(request.assetIds(), caller.tenantFilter());
            if (!missing.isEmpty()) {
                // another tenant's asset is as unknown as one that does not exist
                throw new JobControlException(JobControlException.Kind.NOT_FOUND, "no asset " + missing.getFirst()
                        + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
            }
        }
        UUID id = UUID.randomUUID();
        downloads.create(new DownloadBatch.Request(id, caller.tenantId(), caller.isAdmin(), request.assetIds(), request.createdAfter(),
                renditions, s3.buckets().published(), properties.prefix() + id + ".zip"));
        JobParametersBuilder parameters = new JobParametersBuilder().addString(DownloadJobConfiguration.DOWNLOAD_ID, id.toString());
        if (!caller.isAdmin()) {
            // the tenant's own execution; an admin's, which may hold every tenant's assets, stays the admins'
            parameters.addString(JobDeclaration.TENANT, caller.tenantId().toString(), false);
        }
        jobs.launch(DownloadJobConfiguration.JOB, parameters.toJobParameters());
        return ResponseEntity.accepted().location(URI.create("/downloads/" + id)).body(view(id));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A download's state and progress; once COMPLETE, its signed link (the same every time) and when it expires")
    DownloadView get(@PathVariable UUID id) {
        return view(id);
    }

    @GetMapping("/{id}/link")
    @Operation(summary = "303 to the archive's signed link once COMPLETE; 409 before; 410 once the link has expired")
    ResponseEntity<Void> link(@PathVariable UUID id) {
        DownloadView view = view(id);
        if (view.url() == null && view.urlExpiresAt() != null) {
            throw new ResponseStatusException(HttpStatus.GONE, "the link of download " + id + " expired at " + view.urlExpiresAt()
                    + " (media.downloads.link-expiry after it was complete): request the download again");
        }
        if (view.url() == null) {
            throw new JobControlException(JobControlException.Kind.CONFLICT, "download " + id + " is " + view.state() + ", not ready");
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(view.url())).build();
    }

    private DownloadView view(UUID id) {
        Caller caller = Callers.current();
        // an admin's download may hold every tenant's assets: no tenant key sees it, not even one of the admin's tenant
        DownloadBatch.Download d = downloads.find(id).filter(found -> caller.isAdmin() || !found.allTenants() && caller.sees(found.tenantId()))
                .orElseThrow(() -> new JobControlException(JobControlException.Kind.NOT_FOUND, "no download " + id));
        String jobStatus = null;
        if (d.jobExecutionId() != null) {
            JobExecution execution = jobs.execution(d.jobExecutionId());
            jobStatus = execution.getStatus().name();
        }
        String url = null;
        Instant expires = null;
        if (d.state().equals("COMPLETE") && d.completedAt() != null) {
            // one link per download, expiring a fixed time after the archive was completed: every GET gives the same URL,
            // and it stops working when it says
            expires = d.completedAt().plus(properties.linkExpiry()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            url = clock.instant().isBefore(expires) ? signing.signed(ArchiveController.path(id), expires) : null;
        }
        // a download whose job failed says so, so that a client stops polling; a restart of that
        // execution (POST /jobs/executions/{id}/restart) takes it up again where it stopped
        String state = !d.state().equals("COMPLETE") && ("FAILED".equals(jobStatus) || "ABANDONED".equals(jobStatus)) ? "FAILED" : d.state();
        return new DownloadView(d.id(), state, d.entries(), downloads.parts(id).size(), d.size(), d.jobExecutionId(),
                jobStatus, d.createdAt(), d.completedAt(), url, expires, d.failure());
    }

    private static JobControlException bad(String message) {
        return new JobControlException(JobControlException.Kind.BAD_REQUEST, message);
    }
}
