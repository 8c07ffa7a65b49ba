package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediapipeline.core.signing.UrlSigner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Entry points rewritten under a stream token, as the packager writes them: every child of an HLS
 * master playlist and an MPD's segment templates resolve under the token directory and nothing else
 * changes; children that would escape the token are refused, as are oversized, DTD-carrying or
 * foreign documents. And the token itself: a signature over a version's prefix, windowed, which a
 * path's signature can never stand in for.
 */
@Tag("fast")
class PlaylistsTest {

    static final String BASE = "/streams/3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f/v2/~1764420300.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ/";

    /** As StreamPackager writes them: one audio group, two video renditions. */
    static final String MASTER = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="default",LANGUAGE="und",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=875053,AVERAGE-BANDWIDTH=869789,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=768x576,FRAME-RATE=25.000,AUDIO="audio"
            video-576p/playlist.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=375053,AVERAGE-BANDWIDTH=369789,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=480x360,FRAME-RATE=25.000,AUDIO="audio"
            video-360p/playlist.m3u8
            """;

    static final String MPD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" profiles="urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019" mediaPresentationDuration="PT7.600S" minBufferTime="PT4.0S">
              <Period id="0" start="PT0S">
                <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
                  <Representation id="video" codecs="avc1.64001e" bandwidth="2129928" width="720" height="404" frameRate="25">
                    <SegmentTemplate timescale="12800" initialization="video/init.mp4" media="video/seg-$Number%05d$.m4s" startNumber="1">
                      <SegmentTimeline>
                        <S t="0" d="51200"/>
                        <S t="51200" d="46080"/>
                      </SegmentTimeline>
                    </SegmentTemplate>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    @Test
    void everyChildOfAMasterPlaylistIsNamedUnderTheTokenAndNothingElseChanges() {
        String rewritten = new String(Playlists.hlsMaster(MASTER.getBytes(StandardCharsets.UTF_8), BASE), StandardCharsets.UTF_8);
        assertThat(rewritten).contains("URI=\"" + BASE + "audio/playlist.m3u8\"")
                .contains("\n" + BASE + "video-576p/playlist.m3u8\n").contains("\n" + BASE + "video-360p/playlist.m3u8\n");
        assertThat(rewritten.replace(BASE, "")).as("byte for byte, but the children").isEqualTo(MASTER);
        String crlf = MASTER.replace("\n", "\r\n");
        assertThat(new String(Playlists.hlsMaster(crlf.getBytes(StandardCharsets.UTF_8), BASE), StandardCharsets.UTF_8).replace(BASE, ""))
                .as("CRLF line ends kept").isEqualTo(crlf);
    }

    @Test
    void aMasterPlaylistWhoseChildrenWouldEscapeTheTokenIsRefused() {
        for (String child : List.of("https://elsewhere.example/video/playlist.m3u8", "/streams/other/v1/video/playlist.m3u8",
                "../v1/video/playlist.m3u8", "video/../../playlist.m3u8", "video/playlist.m3u8?x=1", "a/b/c/d/e/f/g/h/i.m3u8")) {
            byte[] bad = MASTER.replace("video-360p/playlist.m3u8", child).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> Playlists.hlsMaster(bad, BASE)).as(child).hasMessageContaining("cannot serve under its token");
        }
        byte[] badAttribute = MASTER.replace("URI=\"audio/playlist.m3u8\"", "URI=\"https://x.example/a.m3u8\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Playlists.hlsMaster(badAttribute, BASE)).hasMessageContaining("cannot serve under its token");
        assertThatThrownBy(() -> Playlists.hlsMaster("not a playlist".getBytes(StandardCharsets.UTF_8), BASE)).hasMessageContaining("#EXTM3U");
        byte[] huge = ("#EXTM3U\n" + "#".repeat(Playlists.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Playlists.hlsMaster(huge, BASE)).hasMessageContaining("over " + Playlists.MAX_BYTES + " bytes");
        assertThatThrownBy(() -> Playlists.hlsMaster(new byte[] {'#', 'E', 'X', 'T', 'M', '3', 'U', '\n', (byte) 0xC3}, BASE))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void anMpdGetsOneBaseUrlUnderWhichItsTemplatesResolveAndNothingElseChanges() throws Exception {
        byte[] rewritten = Playlists.mpd(MPD.getBytes(StandardCharsets.UTF_8), BASE);
        String text = new String(rewritten, StandardCharsets.UTF_8);
        assertThat(text.replace("\n  <BaseURL>" + BASE + "</BaseURL>", "")).as("byte for byte, but the BaseURL").isEqualTo(MPD);
        Element root = parse(rewritten);
        Element first = (Element) root.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "BaseURL").item(0);
        assertThat(first.getParentNode()).isSameAs(root);
        assertThat(first.getTextContent()).isEqualTo(BASE);
        assertThat(root.getElementsByTagNameNS("*", "BaseURL").getLength()).isOne();

        String prefixed = MPD.replace("<MPD xmlns=", "<mpd:MPD xmlns:mpd=").replace("</MPD>", "</mpd:MPD>")
                .replaceAll("<(/?)(Period|AdaptationSet|Representation|SegmentTemplate|SegmentTimeline|S)([ >/])", "<$1mpd:$2$3");
        byte[] rewrittenPrefixed = Playlists.mpd(prefixed.getBytes(StandardCharsets.UTF_8), BASE);
        assertThat(new String(rewrittenPrefixed, StandardCharsets.UTF_8)).contains("<mpd:BaseURL>" + BASE + "</mpd:BaseURL>");
        assertThat(parse(rewrittenPrefixed).getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "BaseURL").getLength()).isOne();
    }

    @Test
    void anMpdThatNamesUrlsOfItsOwnOrIsNotAnMpdIsRefused() {
        String xxe = MPD.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE MPD [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n")
                .replace("<Period id=\"0\"", "<Period id=\"&x;\"");
        assertThatThrownBy(() -> Playlists.mpd(xxe.getBytes(StandardCharsets.UTF_8), BASE)).isInstanceOf(IllegalStateException.class);
        for (String bad : List.of(
                MPD.replace("<Period id=\"0\" start=\"PT0S\">", "<BaseURL>https://elsewhere.example/</BaseURL>\n  <Period id=\"0\" start=\"PT0S\">"),
                MPD.replace("initialization=\"video/init.mp4\"", "initialization=\"https://elsewhere.example/init.mp4\""),
                MPD.replace("media=\"video/seg-$Number%05d$.m4s\"", "media=\"../v1/video/seg-$Number%05d$.m4s\""),
                MPD.replace("media=\"video/seg-$Number%05d$.m4s\"", "media=\"/video/seg-$Number%05d$.m4s\""),
                MPD.replace("<Period id=\"0\" start=\"PT0S\">", "<Period xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"https://x.example/p\" id=\"0\">"),
                MPD.replace("urn:mpeg:dash:schema:mpd:2011", "urn:example:not-dash"),
                MPD.replace("</MPD>", ""))) {
            assertThatThrownBy(() -> Playlists.mpd(bad.getBytes(StandardCharsets.UTF_8), BASE)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MPD");
        }
        byte[] huge = MPD.replace("<Period", "<!--" + " ".repeat(Playlists.MAX_BYTES) + "-->\n  <Period").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Playlists.mpd(huge, BASE)).hasMessageContaining("over " + Playlists.MAX_BYTES + " bytes");
    }

    @Test
    void streamObjectPathsArePlainNames() {
        assertThat(Playlists.validPath(List.of("video", "seg-00001.m4s"))).isTrue();
        assertThat(Playlists.validPath(List.of("a", "b", "c", "d", "e", "f", "g", "h.m4s"))).isTrue();
        assertThat(Playlists.validPath(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i.m4s"))).as("9 segments").isFalse();
        for (List<String> bad : List.of(List.<String>of(), List.of(""), List.of("video", ""), List.of(".."), List.of("."),
                List.of("video", "..", "x.m4s"), List.of("a..b.m4s"), List.of("%2e%2e"), List.of("~1.x"), List.of("seg 1.m4s"),
                List.of("seg\u00e9.m4s"))) {
            assertThat(Playlists.validPath(bad)).as(bad.toString()).isFalse();
        }
    }

    @Test
    void aTokenHoldsForTheStreamAndAMarginRoundedUpToItsWindow() {
        Duration margin = Duration.ofMinutes(30);
        Duration window = Duration.ofMinutes(15);
        Instant now = Instant.parse("2026-11-29T12:00:10.250Z");
        assertThat(StreamController.tokenExpiry(now, Duration.ofSeconds(10), margin, window)).isEqualTo(Instant.parse("2026-11-29T12:45:00Z"));
        assertThat(StreamController.tokenExpiry(Instant.parse("2026-11-29T12:14:49Z"), Duration.ofSeconds(10), margin, window))
                .as("viewers of one window share one token").isEqualTo(Instant.parse("2026-11-29T12:45:00Z"));
        assertThat(StreamController.tokenExpiry(Instant.parse("2026-11-29T12:14:50Z"), Duration.ofSeconds(10), margin, window))
                .as("on a window's edge").isEqualTo(Instant.parse("2026-11-29T12:45:00Z"));
        assertThat(StreamController.tokenExpiry(Instant.parse("2026-11-29T12:14:51Z"), Duration.ofSeconds(10), margin, window))
                .as("the next window").isEqualTo(Instant.parse("2026-11-29T13:00:00Z"));
        assertThat(StreamController.tokenExpiry(now, Duration.ofHours(2), margin, window)).as("a long stream")
                .isEqualTo(Instant.parse("2026-11-29T14:45:00Z"));
    }

    @Test
    void aPrefixTokenCoversItsPrefixOnlyAndNeverPassesForAPathSignature() {
        UrlSigner signer = new UrlSigner(List.of("the new secret, thirty-two bytes!!".getBytes(StandardCharsets.UTF_8)));
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        String prefix = "/streams/3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f/v1/";
        String token = signer.signPrefix(prefix, now.plusSeconds(60));
        assertThat(token).matches("[1-9]\\d*\\.[A-Za-z0-9_-]{43}");
        assertThat(signer.verifyPrefix(prefix, token, now)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(signer.verifyPrefix(prefix, token, now.plusSeconds(60))).isEqualTo(UrlSigner.Verdict.EXPIRED);
        assertThat(signer.verifyPrefix(prefix.replace("/v1/", "/v2/"), token, now)).as("another version").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verifyPrefix("/streams/00000000-0000-0000-0000-000000000000/v1/", token, now)).as("another asset")
                .isEqualTo(UrlSigner.Verdict.INVALID);
        String exp = token.substring(0, token.indexOf('.'));
        String sig = token.substring(token.indexOf('.') + 1);
        assertThat(signer.verifyPrefix(prefix, "0" + token, now)).as("another spelling").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verifyPrefix(prefix, (Long.parseLong(exp) + 3600) + "." + sig, now)).as("expiry pushed").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verifyPrefix(prefix, exp + sig, now)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verifyPrefix(prefix, null, now)).isEqualTo(UrlSigner.Verdict.INVALID);
        assertThat(signer.verify(prefix, exp, sig, now)).as("a token is no signature of the prefix as a path").isEqualTo(UrlSigner.Verdict.INVALID);
        String path = signer.sign(prefix, now.plusSeconds(60));
        assertThat(signer.verifyPrefix(prefix, path.substring(4, path.indexOf('&')) + "." + path.substring(path.indexOf("&sig=") + 5), now))
                .as("nor a path's signature a token").isEqualTo(UrlSigner.Verdict.INVALID);
        assertThatThrownBy(() -> signer.signPrefix("/streams/x/v1", now)).hasMessageContaining("starts and ends with /");
    }

    private static Element parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
    }
}
