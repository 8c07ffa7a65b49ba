package dev.mediapipeline.core.usage;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How delivery is labelled, the same way by the origin's counters and by the edge's log: the format of
 * a content type, and what a delivery path is (its asset and kind).
 */
public final class DeliveryFormat {

    /** Downloads archives hold several assets: their usage is the tenant's, under this asset id. */
    public static final UUID NO_ASSET = new UUID(0, 0);

    private static final Pattern PATH = Pattern.compile(
            "^/(media|streams|downloads)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(/[^?]*)?(\\?.*)?$");

    private DeliveryFormat() {
    }

    /** The format label of a content type: jpeg, png, webp, avif, m3u8, mpd, init, segment, zip, other. */
    public static String of(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        return switch (type) {
            case "image/jpeg" -> "jpeg";
            case "image/png" -> "png";
            case "image/webp" -> "webp";
            case "image/avif" -> "avif";
            case "application/vnd.apple.mpegurl" -> "m3u8";
            case "application/dash+xml" -> "mpd";
            case "video/mp4", "audio/mp4" -> "init";
            case "video/iso.segment" -> "segment";
            case "application/zip" -> "zip";
            default -> "other";
        };
    }

    /**
     * What a delivery path names: {@code /media/{asset}/...} (an image, or an original),
     * {@code /streams/{asset}/...} and {@code /downloads/{download}/archive}.
     *
     * @param id an asset, or for an archive its download
     */
    public record Target(UUID id, String kind) {
    }

    /** The target of a request path (and query), or null when it is no delivery path. */
    public static Target target(String pathAndQuery) {
        if (pathAndQuery == null || pathAndQuery.length() > 2048) {
            return null;
        }
        Matcher m = PATH.matcher(pathAndQuery);
        if (!m.matches()) {
            return null;
        }
        UUID id = UUID.fromString(m.group(2));
        String rest = m.group(3) == null ? "" : m.group(3);
        return switch (m.group(1)) {
            case "media" -> new Target(id, rest.equals("/original") ? "original" : "image");
            case "streams" -> new Target(id, "stream");
            default -> rest.equals("/archive") ? new Target(id, "archive") : null;
        };
    }
}
