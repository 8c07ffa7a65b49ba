package dev.mediapipeline.core.testing;

import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.tenant.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Stages a local file through the real upload path, as one body, the way a client's single PATCH would. */
public final class TestUploads {

    private TestUploads() {
    }

    /** Stages a file for the tenant {@code default}. */
    public static Upload stage(StagingService staging, Path file) {
        return stage(staging, file, Tenant.DEFAULT_ID);
    }

    public static Upload stage(StagingService staging, Path file, java.util.UUID tenantId) {
        try {
            long size = Files.size(file);
            Upload upload = staging.create(tenantId, size, UploadMetadata.format(Map.of("filename", file.getFileName().toString())));
            if (size == 0) {
                return upload;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return staging.append(upload.id(), 0, in, size, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
