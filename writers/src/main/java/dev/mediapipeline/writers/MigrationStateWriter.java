package dev.mediapipeline.writers;

import dev.mediapipeline.core.media.RenderedImage;
import dev.mediapipeline.core.migration.MigrationBatch;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Marks each re-processed asset MIGRATED in the chunk's transaction: the migration's process indicator. */
public class MigrationStateWriter implements ItemWriter<RenderedImage> {

    private final MigrationBatch batch;

    public MigrationStateWriter(MigrationBatch batch) {
        this.batch = batch;
    }

    @Override
    public void write(Chunk<? extends RenderedImage> chunk) {
        for (RenderedImage image : chunk) {
            batch.markMigrated(image.image().file().upload().uploadId());
        }
    }
}
