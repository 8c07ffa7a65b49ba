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

    /**
     * The file's type, with two videos Tika names otherwise made videos: Matroska and WebM (Tika
     * 4: {@code application/x-matroska}) and an MPEG transport stream (no magic of its own, so
     * {@code application/octet-stream} to Tika: its 0x47 sync byte every 188 bytes, three times).
     */
    public static MediaType detect(Path file) throws IOException {
        MediaType type;
        try (InputStream in = Files.newInputStream(file)) {
            type = detect(in);
        }
        String base = type.getBaseType().toString();
        if (base.equals("application/x-matroska")) {
            return MediaType.parse("video/x-matroska");
        }
        if (base.equals("application/octet-stream") && transportStream(file)) {
            return MediaType.parse("video/mp2t");
        }
        return type;
    }

    private static boolean transportStream(Path file) throws IOException {
        byte[] head = new byte[188 * 2 + 1];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return false;
            }
        }
        return head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47;
    }

    public static MediaType detect(InputStream in) throws IOException {
        try (TikaInputStream tis = TikaInputStream.get(in)) {
            return TYPES.detect(tis, new Metadata(), new ParseContext());
        }
    }
}
