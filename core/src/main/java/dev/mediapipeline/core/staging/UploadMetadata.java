package dev.mediapipeline.core.staging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tus {@code Upload-Metadata} header: comma-separated pairs of a key (ASCII, no space or comma)
 * and an optional Base64 value. Keys are unique.
 */
public final class UploadMetadata {

    private UploadMetadata() {
    }

    /** Decodes the header; a malformed one throws {@link IllegalArgumentException} saying why. */
    public static Map<String, String> parse(String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : header.split(",", -1)) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("Upload-Metadata pair \"" + pair.strip() + "\" is not 'key [base64 value]'");
            }
            String key = parts[0];
            if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("Upload-Metadata key \"" + key + "\" is not printable ASCII");
            }
            String value = "";
            if (parts.length == 2) {
                try {
                    value = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Upload-Metadata value of \"" + key + "\" is not Base64");
                }
            }
            if (pairs.put(key, value) != null) {
                throw new IllegalArgumentException("Upload-Metadata key \"" + key + "\" appears twice");
            }
        }
        return Collections.unmodifiableMap(pairs);
    }

    /** Encodes pairs the way a tus client sends them. */
    public static String format(Map<String, String> pairs) {
        StringBuilder header = new StringBuilder();
        pairs.forEach((key, value) -> {
            if (!header.isEmpty()) {
                header.append(',');
            }
            header.append(key).append(' ')
                    .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        });
        return header.toString();
    }
}
