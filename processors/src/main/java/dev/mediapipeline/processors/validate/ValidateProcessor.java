package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.error.RejectedException;
import dev.mediapipeline.core.media.ImageFormat;
import dev.mediapipeline.core.media.IngestLimits;
import dev.mediapipeline.core.media.ScannedFile;
import dev.mediapipeline.core.media.ValidatedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tika.mime.MediaType;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Decides whether a file may go on to decoding, without decoding it:
 * <ol>
 * <li>its real type, from its magic bytes (Apache Tika; the name the client gave is ignored), must be
 * on the allow-list: JPEG, PNG, GIF, WebP. Video is recognised and refused with its own reason until
 * the video path exists;</li>
 * <li>its size must be within the byte budget;</li>
 * <li>a structural walk of the container (markers, chunks, blocks; checksums where the format has
 * them) must reach the image's end: a file that stops early is truncated, one whose structures are
 * broken is corrupt;</li>
 * <li>width x height from the header, and frames x pixels for an animation, must be within budget;</li>
 * <li>what follows the image's end must not be anything recognisable: an archive, a document, a
 * script or any type Tika identifies after an image is a polyglot and is rejected. Bytes that are
 * nothing (zero padding, the leftovers some cameras write after EOI) are tolerated, and the image's
 * real end is recorded so that only the image's own bytes are published.</li>
 * </ol>
 */
public class ValidateProcessor implements ItemProcessor<ScannedFile, ValidatedImage> {

    private final IngestLimits limits;

    public ValidateProcessor(IngestLimits limits) {
        this.limits = limits;
    }

    @Override
    public ValidatedImage process(ScannedFile scanned) throws IOException {
        Path file = scanned.file().file();
        MediaType type = MagicBytes.detect(file);
        ImageFormat format = allowed(type);
        long size = Files.size(file);
        if (size > limits.maxImageBytes().toBytes()) {
            throw new RejectedException("too-large", "the image is " + size + " bytes, over the limit of "
                    + limits.maxImageBytes().toBytes());
        }
        ImageStructure structure;
        try (ByteCursor in = new ByteCursor(file)) {
            structure = switch (format) {
                case JPEG -> JpegInspector.inspect(in);
                case PNG -> PngInspector.inspect(in, limits.maxPixels(), limits.maxSide());
                case GIF -> GifInspector.inspect(in);
                case WEBP -> WebpInspector.inspect(in);
            };
        }
        if (structure.width() > limits.maxSide() || structure.height() > limits.maxSide()) {
            throw new RejectedException("too-large-dimension", structure.width() + "x" + structure.height() + " has a side over "
                    + limits.maxSide() + " pixels, more than a rendition can be encoded with");
        }
        long pixels = (long) structure.width() * structure.height();
        if (pixels > limits.maxPixels()) {
            throw new RejectedException("too-many-pixels", structure.width() + "x" + structure.height() + " is "
                    + pixels + " pixels, over the limit of " + limits.maxPixels());
        }
        if (structure.frames() > limits.maxFrames()) {
            throw new RejectedException("too-many-frames", structure.frames() + " frames, over the limit of " + limits.maxFrames());
        }
        if (structure.frames() * pixels > limits.maxAnimationPixels()) {
            throw new RejectedException("too-many-pixels", structure.frames() + " frames of " + pixels
                    + " pixels, over the animation limit of " + limits.maxAnimationPixels());
        }
        if (structure.end() < size) {
            String found = TrailingData.identify(file, structure.end());
            if (found != null) {
                throw new RejectedException("trailing-data", (size - structure.end()) + " bytes follow the end of the "
                        + format + " image at offset " + structure.end() + " and hold " + found);
            }
        }
        return new ValidatedImage(scanned, format, structure.width(), structure.height(), structure.frames(), structure.end());
    }

    private static ImageFormat allowed(MediaType type) {
        String base = type.getBaseType().toString();
        for (ImageFormat format : ImageFormat.values()) {
            if (format.mimeType().equals(base)) {
                return format;
            }
        }
        if (type.getType().equals("video")) {
            throw new RejectedException("video-not-supported", "video (" + base + ") is not ingested yet");
        }
        throw new RejectedException("type-not-allowed", "the content is " + base + ", not JPEG, PNG, GIF or WebP");
    }
}
