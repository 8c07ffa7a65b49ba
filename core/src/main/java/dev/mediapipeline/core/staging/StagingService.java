package dev.mediapipeline.core.staging;

import static dev.mediapipeline.core.staging.StagingException.Problem.BAD_REQUEST;
import static dev.mediapipeline.core.staging.StagingException.Problem.CHECKSUM_MISMATCH;
import static dev.mediapipeline.core.staging.StagingException.Problem.GONE;
import static dev.mediapipeline.core.staging.StagingException.Problem.INSUFFICIENT_STORAGE;
import static dev.mediapipeline.core.staging.StagingException.Problem.NOT_FOUND;
import static dev.mediapipeline.core.staging.StagingException.Problem.OFFSET_MISMATCH;
import static dev.mediapipeline.core.staging.StagingException.Problem.TOO_LARGE;

import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging upload path, shared by the tus endpoint and the command line: create an upload,
 * append bodies at the upload's offset (each accepted body is one chunk object in the staging
 * bucket, its sha256 and place recorded in PostgreSQL), terminate, expire.
 *
 * <p>A body is spooled to a temp file first: only a body that is complete, within the upload's
 * length and matches the client's checksum is stored, so a rejected request leaves nothing behind.
 * A body cut off by the client (connection lost) is kept up to where it stopped when the client
 * sent no checksum, as tus recommends, so that the client resumes from there.
 */
public class StagingService {

    private static final Logger log = LoggerFactory.getLogger(StagingService.class);
    private static final int EXPIRY_BATCH = 500;

    private final UploadRepository uploads;
    private final ObjectStore store;
    private final String bucket;
    private final StagingProperties properties;
    private final Path tempDirectory;
    private final Clock clock;

    public StagingService(UploadRepository uploads, ObjectStore store, String bucket, StagingProperties properties,
            Path tempDirectory, Clock clock) {
        this.uploads = uploads;
        this.store = store;
        this.bucket = bucket;
        this.properties = properties;
        this.tempDirectory = tempDirectory;
        this.clock = clock;
    }

    public long maxUploadSize() {
        return properties.maxUploadSize().toBytes();
    }

    /**
     * Creates an upload of {@code length} bytes for a tenant; {@code metadata} is the raw tus
     * Upload-Metadata value or null.
     */
    public Upload create(UUID tenantId, long length, String metadata) {
        java.util.Objects.requireNonNull(tenantId, "an upload belongs to a tenant");
        if (length < 0) {
            throw new StagingException(BAD_REQUEST, "Upload-Length must not be negative");
        }
        if (length > maxUploadSize()) {
            throw new StagingException(TOO_LARGE, "Upload-Length " + length + " is over the maximum of " + maxUploadSize() + " bytes");
        }
        try {
            UploadMetadata.parse(metadata);
        } catch (IllegalArgumentException e) {
            throw new StagingException(BAD_REQUEST, e.getMessage());
        }
        Instant now = clock.instant();
        UploadStatus status = length == 0 ? UploadStatus.COMPLETE : UploadStatus.IN_PROGRESS;
        Upload upload = new Upload(UUID.randomUUID(), tenantId, length, 0, metadata, status, now, now,
                status == UploadStatus.COMPLETE ? null : now.plus(properties.expiry()));
        uploads.insert(upload);
        return upload;
    }

    /** The upload as it stands; unknown answers NOT_FOUND, expired answers GONE. */
    public Upload current(UUID id) {
        return current(id, null);
    }

    /**
     * The upload as it stands, as seen by a caller of {@code tenantFilter} (null: any tenant):
     * another tenant's upload answers NOT_FOUND, exactly as one that does not exist.
     */
    public Upload current(UUID id, UUID tenantFilter) {
        Upload upload = uploads.find(id).filter(u -> tenantFilter == null || tenantFilter.equals(u.tenantId()))
                .orElseThrow(() -> new StagingException(NOT_FOUND, "no upload " + id));
        if (upload.isExpired(clock.instant())) {
            throw new StagingException(GONE, "upload " + id + " expired at " + upload.expiresAt());
        }
        return upload;
    }

    public Optional<Upload> find(UUID id) {
        return uploads.find(id);
    }

    public List<UploadChunk> chunks(UUID id) {
        return uploads.chunks(id);
    }

    /**
     * Appends one request body at {@code offset}.
     *
     * @param declaredLength the body's Content-Length, or -1 when not known
     * @param expectedSha256 the client's sha256 of the body, or null
     * @return the upload after the append
     */
    public Upload append(UUID id, long offset, InputStream body, long declaredLength, byte[] expectedSha256) {
        return append(id, null, offset, body, declaredLength, expectedSha256);
    }

    /** {@link #append(UUID, long, InputStream, long, byte[])} for a caller who sees only {@code tenantFilter}'s uploads (null: all). */
    public Upload append(UUID id, UUID tenantFilter, long offset, InputStream body, long declaredLength, byte[] expectedSha256) {
        Upload upload = current(id, tenantFilter);
        if (offset != upload.offset()) {
            throw new StagingException(OFFSET_MISMATCH, "Upload-Offset " + offset + " is not the upload's offset " + upload.offset());
        }
        long remaining = upload.length() - offset;
        if (declaredLength > remaining) {
            throw new StagingException(TOO_LARGE, "the body of " + declaredLength + " bytes goes past the upload's length "
                    + upload.length() + " (" + remaining + " bytes remain)");
        }
        if (declaredLength >= 0 && declaredLength < remaining && declaredLength < minChunkSize()) {
            throw tooSmall(declaredLength);
        }
        ensureSpace(declaredLength >= 0 ? declaredLength : remaining);
        Path spool = createSpoolFile();
        try {
            Spooled spooled = spool(body, spool, remaining, expectedSha256 != null);
            if (spooled.cutOff() == null && expectedSha256 != null && !MessageDigest.isEqual(spooled.sha256(), expectedSha256)) {
                throw new StagingException(CHECKSUM_MISMATCH, "the body's sha256 is not the Upload-Checksum sent");
            }
            if (spooled.cutOff() == null && spooled.length() < remaining && spooled.length() < minChunkSize()) {
                throw tooSmall(spooled.length()); // a complete body of unannounced length
            }
            Upload result = upload;
            if (spooled.length() > 0) {
                result = store(upload, offset, spool, spooled);
            }
            if (spooled.cutOff() != null) {
                throw new UncheckedIOException("the client stopped sending after " + spooled.length() + " bytes", spooled.cutOff());
            }
            return result;
        } finally {
            deleteQuietly(spool);
        }
    }

    /** Refuses a body that would leave the temp area with less than its minimum free space. */
    private void ensureSpace(long bytes) {
        long free;
        try {
            Files.createDirectories(tempDirectory);
            free = Files.getFileStore(tempDirectory).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + tempDirectory, e);
        }
        long keep = properties.minFreeSpace().toBytes();
        if (free - bytes < keep) {
            throw new StagingException(INSUFFICIENT_STORAGE, "the server has " + free + " bytes free for uploads and keeps "
                    + keep + " (media.staging.min-free-space): a body of " + bytes + " bytes does not fit now; retry later");
        }
    }

    private long minChunkSize() {
        return properties.minChunkSize().toBytes();
    }

    private StagingException tooSmall(long length) {
        return new StagingException(BAD_REQUEST, "a body of " + length + " bytes that does not finish the upload is under the "
                + "minimum chunk of " + minChunkSize() + " bytes (media.staging.min-chunk-size): send larger chunks");
    }

    /** Removes an upload, its chunk objects and its rows. */
    public void terminate(UUID id) {
        terminate(id, null);
    }

    /**
     * Removes an upload of {@code tenantFilter}'s (null: any tenant's), its chunk objects and its rows;
     * refused (INGESTING) while an ingest has it frozen and unfinished, so that a restart of a failed
     * ingest finds its frozen batch as it was.
     */
    public void terminate(UUID id, UUID tenantFilter) {
        uploads.deleteUnlessIngesting(id, tenantFilter);
        // the rows first: nothing can freeze it any more. Chunks a crash leaves here are no row's, and the staging
        // bucket's expiry rule (media.s3.lifecycle.staging-expiry) removes them where the store has lifecycle rules
        store.deletePrefix(bucket, Upload.chunkPrefix(id));
    }

    /** Removes every upload that expired before its last byte arrived, chunks included; returns how many. */
    public int removeExpired() {
        int removed = 0;
        List<UUID> expired;
        do {
            Instant now = clock.instant();
            expired = uploads.findExpired(now, EXPIRY_BATCH);
            for (UUID id : expired) {
                // objects first: a row without objects is harmless, objects without a row are lost track of
                store.deletePrefix(bucket, Upload.chunkPrefix(id));
                if (uploads.deleteIfExpired(id, now)) {
                    removed++;
                }
            }
        } while (expired.size() == EXPIRY_BATCH);
        if (removed > 0) {
            log.info("removed {} expired uploads and their chunks", removed);
        }
        return removed;
    }

    private Upload store(Upload upload, long offset, Path spool, Spooled spooled) {
        String key = Upload.chunkPrefix(upload.id()) + String.format("%020d-%s", offset, UUID.randomUUID());
        store.put(bucket, key, spool, "application/octet-stream");
        Instant now = clock.instant();
        UploadChunk chunk = new UploadChunk(upload.id(), offset, spooled.length(), spooled.sha256(), key);
        if (!uploads.advance(chunk, upload.length(), now, now.plus(properties.expiry()))) {
            store.delete(bucket, key);
            Upload current = current(upload.id());
            throw new StagingException(OFFSET_MISMATCH, "another request moved the upload to offset " + current.offset());
        }
        return current(upload.id());
    }

    private record Spooled(long length, byte[] sha256, IOException cutOff) {
    }

    private static Spooled spool(InputStream body, Path spool, long remaining, boolean discardIfCutOff) {
        MessageDigest sha256 = Sha256.newDigest();
        long length = 0;
        IOException cutOff = null;
        try (OutputStream out = Files.newOutputStream(spool)) {
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if (discardIfCutOff) {
                        // a checksum covers the whole body: a part of it cannot be verified
                        throw new UncheckedIOException("the client stopped sending after " + length + " bytes", e);
                    }
                    cutOff = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                length += n;
                if (length > remaining) {
                    throw new StagingException(TOO_LARGE, "the body goes past the upload's length (" + remaining + " bytes remain)");
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not spool the body to " + spool, e);
        }
        return new Spooled(length, sha256.digest(), cutOff);
    }

    private Path createSpoolFile() {
        try {
            Files.createDirectories(tempDirectory);
            return Files.createTempFile(tempDirectory, "chunk-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a spool file in " + tempDirectory, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}", file, e);
        }
    }
}
