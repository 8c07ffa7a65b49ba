package dev.mediapipeline.app.delivery;

import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.media.PackagedVideo;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A video's playable URLs as the asset API hands them out: its master playlist and its MPD, signed
 * for {@code media.delivery.signed-url-ttl}, usable as they are by a player with no key. Each names
 * the asset's current version at the time it is fetched ({@link StreamController}).
 */
@Component
public class StreamUrls {

    /** The signed entry points: {@code /streams/{id}/master.m3u8?exp=&sig=} and {@code /streams/{id}/manifest.mpd?exp=&sig=}. */
    public record Urls(String hls, String dash) {
    }

    private final UrlSigning signing;

    StreamUrls(UrlSigning signing) {
        this.signing = signing;
    }

    /** For an asset the caller may see and that has a stream (a signature gives the asset to anyone holding it: check first). */
    public Urls signed(UUID assetId) {
        String base = "/streams/" + assetId + "/";
        return new Urls(signing.signed(base + PackagedVideo.MASTER_PLAYLIST), signing.signed(base + PackagedVideo.DASH_MANIFEST));
    }
}
