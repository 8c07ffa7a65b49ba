package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.Workspace;
import java.nio.file.Path;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Last of the writers: once an item's files are published, its local workspace goes. Should the
 * chunk roll back after this, the item is processed again and its files made again.
 */
public class WorkspaceCleanupWriter implements ItemWriter<Rendered> {

    private final Path tempDirectory;

    public WorkspaceCleanupWriter(Path tempDirectory) {
        this.tempDirectory = tempDirectory;
    }

    @Override
    public void write(Chunk<? extends Rendered> chunk) {
        for (Rendered image : chunk) {
            Workspace.delete(tempDirectory, image.upload().uploadId());
        }
    }
}
