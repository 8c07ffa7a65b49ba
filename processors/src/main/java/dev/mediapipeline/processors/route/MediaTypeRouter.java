package dev.mediapipeline.processors.route;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.processors.validate.MagicBytes;
import java.io.IOException;
import org.apache.tika.mime.MediaType;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Sends a scanned file down the image path or the video path by its real type (magic bytes, never the
 * name the client gave). Everything that is not video goes to the image path, whose validation
 * refuses what is not an allowed image.
 */
public class MediaTypeRouter implements ItemProcessor<ScannedFile, Rendered> {

    private final ItemProcessor<ScannedFile, ? extends Rendered> images;
    private final ItemProcessor<ScannedFile, ? extends Rendered> videos;

    public MediaTypeRouter(ItemProcessor<ScannedFile, ? extends Rendered> images, ItemProcessor<ScannedFile, ? extends Rendered> videos) {
        this.images = images;
        this.videos = videos;
    }

    @Override
    public Rendered process(ScannedFile scanned) throws Exception {
        return isVideo(scanned) ? videos.process(scanned) : images.process(scanned);
    }

    static boolean isVideo(ScannedFile scanned) throws IOException {
        MediaType type = MagicBytes.detect(scanned.file().file());
        return type.getType().equals("video") || type.getBaseType().toString().equals("application/mp4");
    }
}
