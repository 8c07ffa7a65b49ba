package dev.mediapipeline.core.storage;

/**
 * Keys of published files: the sha256 of the bytes, fanned out by its first two hex digits.
 * The same bytes always get the same key, so writing them again is a no-op.
 */
public final class ContentAddress {

    private ContentAddress() {
    }

    public static String original(String sha256) {
        return "originals/" + check(sha256).substring(0, 2) + "/" + sha256;
    }

    public static String rendition(String sha256, String extension) {
        return "renditions/" + check(sha256).substring(0, 2) + "/" + sha256 + "." + extension;
    }

    private static String check(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return sha256;
    }
}
