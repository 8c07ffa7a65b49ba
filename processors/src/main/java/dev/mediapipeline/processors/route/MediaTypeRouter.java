package dev.mediapipeline.processors.route;

import dev.mediapipeline.core.media.Rendered;
import dev.mediapipeline.core.media.ScannedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.parser.ParseContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Sends a scanned file down the image path or the video path by its real type (magic bytes, never the
 * name the client gave). Everything that is not video goes to the image path, whose validation
 * refuses what is not an allowed image.
 */
public class MediaTypeRouter implements ItemProcessor<ScannedFile, Rendered> {

    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();

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
        MediaType type;
        try (InputStream in = Files.newInputStream(scanned.file().file()); TikaInputStream tis = TikaInputStream.get(in)) {
            type = TYPES.detect(tis, new Metadata(), new ParseContext());
        }
        return type.getType().equals("video") || type.getBaseType().toString().equals("application/mp4");
    }
}
