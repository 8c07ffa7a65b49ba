package dev.mediapipeline.processors.validate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.parser.ParseContext;

/** A file's real type from its magic bytes (Apache Tika); no file name is ever given to Tika. */
public final class MagicBytes {

    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();

    private MagicBytes() {
    }

    public static MediaType detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return detect(in);
        }
    }

    public static MediaType detect(InputStream in) throws IOException {
        try (TikaInputStream tis = TikaInputStream.get(in)) {
            return TYPES.detect(tis, new Metadata(), new ParseContext());
        }
    }
}
