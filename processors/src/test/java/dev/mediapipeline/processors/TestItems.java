package dev.mediapipeline.processors;

import dev.mediapipeline.core.media.AssembledFile;
import dev.mediapipeline.core.media.IngestLimits;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.StagedUpload;
import dev.mediapipeline.core.media.ValidatedImage;
import dev.mediapipeline.processors.validate.ValidateProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.util.unit.DataSize;

/** Items as the stages before a processor hand them on, made from a local file. */
public final class TestItems {

    public static final IngestLimits LIMITS = new IngestLimits(DataSize.ofMegabytes(100), 50_000_000, 500_000_000, 1000);

    private TestItems() {
    }

    public static ScannedFile scanned(Path file) throws IOException {
        StagedUpload upload = new StagedUpload(UUID.randomUUID(), dev.mediapipeline.core.tenant.Tenant.DEFAULT_ID, Files.size(file), Map.of(), List.of());
        return new ScannedFile(new AssembledFile(upload, file, Files.size(file), "0".repeat(64)), "ClamAV test");
    }

    /** Through the real validation stage. */
    public static ValidatedImage validated(Path file) throws IOException {
        return new ValidateProcessor(LIMITS).process(scanned(file));
    }
}
