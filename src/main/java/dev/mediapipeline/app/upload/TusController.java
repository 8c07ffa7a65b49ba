package dev.mediapipeline.app.upload;

import dev.mediapipeline.app.security.Callers;
import dev.mediapipeline.app.security.UploadBandwidth;
import org.springframework.http.ProblemDetail;
import dev.mediapipeline.core.staging.StagingException;
import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.staging.UploadStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Staging uploads over tus 1.0.0 (https://tus.io/protocols/resumable-upload): core protocol plus
 * the creation, creation-with-upload, termination, checksum (sha256) and expiration extensions.
 * {@link TusProtocolInterceptor} checks and answers the Tus-Resumable header on every request. An
 * upload belongs to the tenant of the key that created it: another tenant's key gets 404 for it.
 */
@RestController
// the commands (ingest, keys, fuzz) run without a web server, and without the security beans uploads are charged to
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class TusController {

    static final String BASE = "/uploads";
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration";
    /** tus's status for a checksum that does not match the body */
    static final int CHECKSUM_MISMATCH = 460;

    private static final Logger log = LoggerFactory.getLogger(TusController.class);

    private final StagingService staging;
    private final UploadBandwidth bandwidth;

    TusController(StagingService staging, UploadBandwidth bandwidth) {
        this.staging = staging;
        this.bandwidth = bandwidth;
    }

    @RequestMapping(path = {BASE, BASE + "/"}, method = RequestMethod.OPTIONS)
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent()
                .header("Tus-Version", TusProtocolInterceptor.VERSION)
                .header("Tus-Max-Size", Long.toString(staging.maxUploadSize()))
                .header("Tus-Extension", EXTENSIONS)
                .header("Tus-Checksum-Algorithm", "sha256")
                .build();
    }

    /** Also at {@code /uploads/}: the tus clients' documentation writes endpoints with a trailing slash. */
    @PostMapping({BASE, BASE + "/"})
    ResponseEntity<Void> create(HttpServletRequest request,
            @RequestHeader(value = "Upload-Length", required = false) String uploadLength,
            @RequestHeader(value = "Upload-Defer-Length", required = false) String deferLength,
            @RequestHeader(value = "Upload-Metadata", required = false) String metadata,
            @RequestHeader(value = "Upload-Checksum", required = false) String checksum) throws IOException {
        if (deferLength != null) {
            throw bad("Upload-Defer-Length is not supported: send Upload-Length");
        }
        long length = nonNegative("Upload-Length", uploadLength);
        boolean withBody = isOffsetOctetStream(request.getContentType());
        byte[] sha256 = withBody ? parseChecksum(checksum) : null;
        if (withBody) {
            // at most what an upload can hold: a larger Upload-Length is refused by create
            bandwidth.take(Callers.current(), request.getContentLengthLong(), Math.min(length, staging.maxUploadSize()));
        }
        Upload upload = staging.create(Callers.current().tenantId(), length, metadata);
        if (withBody) {
            try (InputStream body = request.getInputStream()) {
                upload = staging.append(upload.id(), 0, body, request.getContentLengthLong(), sha256);
            } catch (StagingException e) {
                // the request as a whole is refused: the upload it created goes too
                staging.terminate(upload.id());
                throw e;
            }
        }
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path(BASE + "/{id}").buildAndExpand(upload.id()).toUri();
        ResponseEntity.BodyBuilder response = ResponseEntity.created(location);
        if (withBody) {
            response.header("Upload-Offset", Long.toString(upload.offset()));
        }
        return response.headers(expires(upload)).build();
    }

    @RequestMapping(path = BASE + "/{id}", method = RequestMethod.HEAD)
    ResponseEntity<Void> head(@PathVariable String id) {
        Upload upload = staging.current(uuid(id), Callers.current().tenantFilter());
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .header("Upload-Offset", Long.toString(upload.offset()))
                .header("Upload-Length", Long.toString(upload.length()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (upload.metadata() != null && !upload.metadata().isBlank()) {
            response.header("Upload-Metadata", upload.metadata());
        }
        return response.headers(expires(upload)).build();
    }

    @PatchMapping(BASE + "/{id}")
    ResponseEntity<Void> patch(@PathVariable String id, HttpServletRequest request,
            @RequestHeader(value = "Upload-Offset", required = false) String uploadOffset,
            @RequestHeader(value = "Upload-Checksum", required = false) String checksum) throws IOException {
        if (!isOffsetOctetStream(request.getContentType())) {
            return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).build();
        }
        UUID uploadId = uuid(id);
        long offset = nonNegative("Upload-Offset", uploadOffset);
        byte[] sha256 = parseChecksum(checksum);
        Upload current = staging.current(uploadId, Callers.current().tenantFilter());
        bandwidth.take(Callers.current(), request.getContentLengthLong(), current.length() - current.offset());
        try (InputStream body = request.getInputStream()) {
            Upload upload = staging.append(uploadId, Callers.current().tenantFilter(), offset, body, request.getContentLengthLong(), sha256);
            return ResponseEntity.noContent()
                    .header("Upload-Offset", Long.toString(upload.offset()))
                    .headers(expires(upload))
                    .build();
        }
    }

    @DeleteMapping(BASE + "/{id}")
    ResponseEntity<Void> terminate(@PathVariable String id) {
        staging.terminate(uuid(id), Callers.current().tenantFilter());
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(StagingException.class)
    ResponseEntity<String> refused(StagingException e) {
        int status = switch (e.problem()) {
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case OFFSET_MISMATCH -> 409;
            case TOO_LARGE -> 413;
            case CHECKSUM_MISMATCH -> CHECKSUM_MISMATCH;
            case BAD_REQUEST -> 400;
            case INSUFFICIENT_STORAGE -> 507;
            case INGESTING -> 409;
        };
        log.debug("upload request refused with {}: {}", status, e.getMessage());
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
    }

    @ExceptionHandler(UploadBandwidth.RateLimitedException.class)
    ResponseEntity<ProblemDetail> limited(UploadBandwidth.RateLimitedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many requests");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static HttpHeaders expires(Upload upload) {
        HttpHeaders headers = new HttpHeaders();
        if (upload.status() == UploadStatus.IN_PROGRESS && upload.expiresAt() != null) {
            headers.setDate("Upload-Expires", upload.expiresAt().toEpochMilli());
        }
        return headers;
    }

    private static boolean isOffsetOctetStream(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith(OFFSET_OCTET_STREAM);
    }

    /** {@code Upload-Checksum: sha256 <Base64>}; absent is null, any other algorithm is a 400. */
    static byte[] parseChecksum(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 2) {
            throw bad("Upload-Checksum must be '<algorithm> <Base64 digest>'");
        }
        if (!parts[0].equals("sha256")) {
            throw bad("Upload-Checksum algorithm " + parts[0] + " is not supported: use sha256");
        }
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw bad("Upload-Checksum digest is not Base64");
        }
        if (digest.length != 32) {
            throw bad("Upload-Checksum sha256 digest must be 32 bytes, not " + digest.length);
        }
        return digest;
    }

    private static long nonNegative(String header, String value) {
        if (value == null) {
            throw bad(header + " is required");
        }
        if (!value.matches("[0-9]{1,19}")) {
            throw bad(header + " must be a non-negative integer, not \"" + value + "\"");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad(header + " is out of range");
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new StagingException(StagingException.Problem.NOT_FOUND, "no upload " + id);
        }
    }

    private static StagingException bad(String message) {
        return new StagingException(StagingException.Problem.BAD_REQUEST, message);
    }
}
