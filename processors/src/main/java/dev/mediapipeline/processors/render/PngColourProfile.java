package dev.mediapipeline.processors.render;

import java.awt.color.ICC_Profile;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.InflaterInputStream;

/**
 * The ICC profile a PNG embeds in its iCCP chunk (Mac screenshots carry Display P3, for one).
 * The JDK's PNG decoder ignores it, so the renditions stage converts from it to sRGB itself.
 */
final class PngColourProfile {

    private static final int MAX_PROFILE = 4 * 1024 * 1024;

    private PngColourProfile() {
    }

    /** The embedded profile, or empty when there is none or it is not usable; sRGB-declared files have none. */
    static Optional<ICC_Profile> read(Path png) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(png)))) {
            in.skipNBytes(8); // signature, already checked by validation
            while (true) {
                int length = in.readInt();
                String type = new String(in.readNBytes(4), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (type.equals("iCCP")) {
                    if (length < 0 || length > MAX_PROFILE) {
                        return Optional.empty(); // bounded before anything is allocated
                    }
                    byte[] data = in.readNBytes(length);
                    int name = 0;
                    while (name < data.length && data[name] != 0) {
                        name++;
                    }
                    if (name + 2 > data.length || data[name + 1] != 0) { // compression method 0 only
                        return Optional.empty();
                    }
                    try (InputStream profile = new InflaterInputStream(
                            new java.io.ByteArrayInputStream(data, name + 2, data.length - name - 2))) {
                        byte[] bytes = profile.readNBytes(MAX_PROFILE);
                        return Optional.of(ICC_Profile.getInstance(bytes));
                    } catch (IOException | IllegalArgumentException unusable) {
                        return Optional.empty();
                    }
                }
                if (type.equals("IDAT") || type.equals("IEND") || type.equals("sRGB")) {
                    return Optional.empty(); // iCCP must come before IDAT; sRGB says the data is sRGB
                }
                in.skipNBytes(length + 4L); // data and CRC
            }
        }
    }
}
