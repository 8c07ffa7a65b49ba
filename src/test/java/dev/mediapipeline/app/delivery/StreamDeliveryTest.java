package dev.mediapipeline.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediapipeline.app.AppTestBase;
import dev.mediapipeline.app.JsonHttp;
import dev.mediapipeline.app.security.UrlSigning;
import dev.mediapipeline.core.testing.BrowserPlayer;
import dev.mediapipeline.core.testing.Ffmpeg;
import dev.mediapipeline.core.testing.TestServices;
import dev.mediapipeline.core.testing.TestUploads;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * Signed streaming over real HTTP: a private video of a fresh tenant, ingested once, read with no
 * key from its signed master playlist and MPD. Every child they name is under the version's token
 * directory, and every media playlist, init and media segment a player would fetch answers with the
 * stored bytes (and byte ranges of them); a segment without its token, with a tampered, expired or
 * another stream's token, or by another tenant's key, is refused. Then the video plays to its end in
 * hls.js, dash.js and Shaka Player, from a page on another origin.
 *
 * <p>Every helper takes the base URL the requests go to ({@link #origin()} here), so that the same
 * checks run through a CDN edge in front of the application.
 */
class StreamDeliveryTest extends AppTestBase {

    static final String DASH = "urn:mpeg:dash:schema:mpd:2011";
    /** {@code $Number$} or {@code $Number%05d$} in a SegmentTemplate's media: group 1 the width */
    static final Pattern NUMBER = Pattern.compile("\\$Number(?:%0(\\d+)d)?\\$");
    /** a child under the token directory: group 1 the version prefix, 2 the expiry, 3 the path under it */
    static final Pattern TOKENISED = Pattern.compile("(/streams/[0-9a-f-]{36}/v\\d+/)~(\\d+)\\.[A-Za-z0-9_-]{43}/(.+)");

    /** The video the tests share, with its tenant's read key and its stream's row. */
    record Video(UUID tenant, String readKey, UUID asset, Path source, Map<String, Object> stream) {

        String bucket() {
            return (String) stream.get("bucket");
        }

        /** The key prefix of its objects: {@code streams/<asset>/v1/}. */
        String prefix() {
            return (String) stream.get("prefix");
        }

        String master() {
            return "/streams/" + asset + "/master.m3u8";
        }

        String mpd() {
            return "/streams/" + asset + "/manifest.mpd";
        }
    }

    private static Video video;

    @Autowired
    UrlSigning signing;

    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void signedEntryPointsNameEveryChildUnderTheirTokenAndEveryChildServesTheStoredBytes() throws Exception {
        assertEntryPointsServeTheStream(origin(), video());
    }

    @Test
    void aSegmentWithoutAValidTokenOrByAnotherTenantIsRefused() throws Exception {
        assertRefusals(origin(), video());
    }

    /** Needs the delivery routes to allow the player page's origin ({@code http://127.0.0.1:<any port>}, CORS). */
    @Test
    void aPublicVideoIsReadWithoutKeyOrSignatureUntilItIsPrivateAgain() throws Exception {
        Video v = video();
        JsonHttp write = http.as(newKey(v.tenant(), "read", "write"));
        String segment = "/streams/" + v.asset() + "/v1/video/seg-00001.m4s";
        assertThat(get(origin(), v.master(), null).statusCode()).as("private").isEqualTo(403);
        assertThat(write.request("PATCH", "/assets/" + v.asset(), "{\"visibility\": \"public\"}").status()).isEqualTo(200);
        try {
            HttpResponse<byte[]> master = get(origin(), v.master(), null);
            assertThat(master.statusCode()).isEqualTo(200);
            assertThat(master.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
            HttpResponse<byte[]> bare = get(origin(), segment, null);
            assertThat(bare.statusCode()).isEqualTo(200);
            assertThat(bare.headers().firstValue("Cache-Control")).as("briefly: it may be made private").hasValue("public, max-age=300");
            String poster = jdbc.sql("select format || '/' || width from rendition where asset_id = ? and version = 1 limit 1")
                    .param(v.asset()).query(String.class).single();
            assertThat(get(origin(), "/media/" + v.asset() + "/" + poster, null).statusCode()).as("its poster").isEqualTo(200);
            HttpResponse<byte[]> byAccept = get(origin(), "/media/" + v.asset() + "/poster/" + poster.substring(poster.indexOf('/') + 1), null,
                    "Accept", "image/webp,*/*;q=0.8");
            assertThat(byAccept.statusCode()).as("its poster by Accept").isEqualTo(200);
            assertThat(byAccept.headers().firstValue("Content-Type").orElse("")).startsWith("image/");
            assertThat(byAccept.headers().allValues("Vary")).as("Vary: Accept, beside what CORS varies on").contains("Accept");
            assertThat(get(origin(), "/media/" + v.asset() + "/original", null).statusCode()).as("never its original").isEqualTo(403);
            UUID other = UUID.randomUUID();
            assertThat(get(origin(), "/streams/" + other + "/v1/video/seg-00001.m4s", null).statusCode()).isEqualTo(403);
        } finally {
            assertThat(write.request("PATCH", "/assets/" + v.asset(), "{\"visibility\": \"private\"}").status()).isEqualTo(200);
        }
        assertThat(get(origin(), segment, null).statusCode()).as("private again").isEqualTo(403);
        assertThat(get(origin(), v.master(), null).statusCode()).isEqualTo(403);
    }

    @Test
    void aPrivateVideoPlaysToItsEndFromItsSignedMasterPlaylistAndMpdInEveryPlayer() throws Exception {
        assertPlays(origin(), video());
    }

    /** The application itself. */
    /**
     * The same through the CDN edge (Varnish): the stream served and refused as by the origin, the
     * second request of a segment a hit, a deleted asset's cached segments forgotten (purged), and
     * the video played to its end in every player from the edge.
     */
    @Test
    void throughTheCdnEdge() throws Exception {
        Video v = video();
        String edge = dev.mediapipeline.app.Edge.url("");
        assertEntryPointsServeTheStream(edge, v);
        String segment = tokenDir(edge, v) + "video/seg-00001.m4s";
        get(edge, segment, null);
        HttpResponse<byte[]> again = get(edge, segment, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("X-Cache")).as("the second request of a segment").hasValue("HIT");
        assertRefusals(edge, v);
        assertPlays(edge, v);
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The signed master playlist and MPD answer 200, briefly cached; their children, all under one
     * token directory whose expiry covers the stream and the margin, rounded to the window, are
     * exactly the version's objects, each answering with its stored bytes, its type and an immutable
     * cache header; a segment's byte ranges, 304 and 416 as /media.
     */
    void assertEntryPointsServeTheStream(String base, Video v) throws Exception {
        String versionPrefix = "/streams/" + v.asset() + "/v1/";
        long before = Instant.now().getEpochSecond();
        long duration = ((Number) v.stream().get("duration_ms")).longValue();

        // HLS: the master names the media playlists under the token; they name their init and segments relative to it
        HttpResponse<byte[]> master = get(base, signing.signed(v.master()), null);
        assertThat(master.statusCode()).as(text(master)).isEqualTo(200);
        assertThat(master.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/vnd.apple.mpegurl");
        assertThat(master.headers().firstValue("Cache-Control").orElseThrow()).matches("public, max-age=(300|29\\d|2\\d\\d)");
        assertThat(master.headers().firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]{64}\"");
        List<String> children = hlsUris(text(master));
        assertThat(children).as("the master's children").isNotEmpty();
        Matcher first = TOKENISED.matcher(children.getFirst());
        assertThat(first.matches()).as(children.getFirst()).isTrue();
        assertThat(first.group(1)).isEqualTo(versionPrefix);
        String tokenDir = children.getFirst().substring(0, children.getFirst().length() - first.group(3).length());
        long exp = Long.parseLong(first.group(2));
        assertThat(exp % 900).as("the expiry is on a 15 minute window").isZero();
        assertThat(exp).as("the stream, 30 minutes, rounded up to the window")
                .isGreaterThanOrEqualTo(before + duration / 1000 + 1800).isLessThanOrEqualTo(Instant.now().getEpochSecond() + duration / 1000 + 1800 + 901);
        assertThat(children).allMatch(c -> c.startsWith(tokenDir), "every child under the one token directory");
        assertThat(text(master).replace(tokenDir, "")).as("the stored master, but its children")
                .isEqualTo(new String(stored(v, v.prefix() + "master.m3u8"), StandardCharsets.UTF_8));

        Set<String> fetched = new LinkedHashSet<>();
        for (String child : children) {
            String relative = child.substring(tokenDir.length());
            HttpResponse<byte[]> playlist = get(base, child, null);
            assertStored(v, relative, playlist, "application/vnd.apple.mpegurl");
            fetched.add(relative);
            String dir = relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/') + 1) : "";
            List<String> media = hlsUris(text(playlist));
            assertThat(media).as(relative + " names an init and segments").hasSizeGreaterThan(1);
            for (String uri : media) {
                String resolved = URI.create(base + child).resolve(uri).getRawPath();
                assertThat(resolved).as("resolved under the token").startsWith(tokenDir);
                String object = resolved.substring(tokenDir.length());
                assertThat(object).isEqualTo(dir + uri);
                assertStored(v, object, get(base, resolved, null), object.endsWith(".mp4") ? "(video|audio)/mp4" : "video/iso.segment");
                fetched.add(object);
            }
        }

        // DASH: one BaseURL, under which every representation's init and segments resolve
        HttpResponse<byte[]> mpd = get(base, signing.signed(v.mpd()), null);
        assertThat(mpd.statusCode()).as(text(mpd)).isEqualTo(200);
        assertThat(mpd.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/dash+xml");
        assertThat(mpd.headers().firstValue("Cache-Control").orElseThrow()).matches("public, max-age=(300|29\\d|2\\d\\d)");
        Element root = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(new ByteArrayInputStream(mpd.body()))
                .getDocumentElement();
        NodeList baseUrls = root.getElementsByTagNameNS(DASH, "BaseURL");
        assertThat(baseUrls.getLength()).isOne();
        assertThat(baseUrls.item(0).getParentNode()).isSameAs(root);
        String dashDir = baseUrls.item(0).getTextContent();
        Matcher dashToken = TOKENISED.matcher(dashDir + "x");
        assertThat(dashToken.matches()).as(dashDir).isTrue();
        assertThat(dashToken.group(1)).isEqualTo(versionPrefix);
        assertThat(text(mpd).replace("\n  <BaseURL>" + dashDir + "</BaseURL>", "")).as("the stored MPD, but its BaseURL")
                .isEqualTo(new String(stored(v, v.prefix() + "manifest.mpd"), StandardCharsets.UTF_8));
        List<String> dashObjects = dashObjects(root);
        assertThat(dashObjects).as("the MPD's inits and segments are the HLS playlists'").isSubsetOf(fetched)
                .containsAll(fetched.stream().filter(o -> !o.endsWith(".m3u8")).toList());
        for (String object : dashObjects) {
            String resolved = URI.create(base + v.mpd()).resolve(dashDir).resolve(object).getRawPath();
            assertThat(resolved).isEqualTo(dashDir + object);
            assertThat(get(base, resolved, null).statusCode()).as(resolved).isEqualTo(200);
        }
        List<String> published = new ArrayList<>(store.list(v.bucket(), v.prefix()).stream().map(k -> k.substring(v.prefix().length()))
                .filter(k -> !k.equals("master.m3u8") && !k.equals("manifest.mpd")).toList());
        assertThat(fetched).as("the entry points reach every object of the stream").containsExactlyInAnyOrderElementsOf(published);

        // a segment's bytes by range, its validator, HEAD
        String largest = fetched.stream().filter(o -> o.endsWith(".m4s"))
                .max(java.util.Comparator.comparingLong(o -> stored(v, v.prefix() + o).length)).orElseThrow();
        byte[] bytes = stored(v, v.prefix() + largest);
        int n = bytes.length;
        assertThat(n).isGreaterThan(2000);
        String segment = tokenDir + largest;
        HttpResponse<byte[]> slice = get(base, segment, null, "Range", "bytes=1000-1999");
        assertThat(slice.statusCode()).isEqualTo(206);
        assertThat(slice.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + n);
        assertThat(slice.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
        HttpResponse<byte[]> lastByte = get(base, segment, null, "Range", "bytes=-1");
        assertThat(lastByte.statusCode()).isEqualTo(206);
        assertThat(lastByte.body()).containsExactly(bytes[n - 1]);
        HttpResponse<byte[]> past = get(base, segment, null, "Range", "bytes=" + n + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + n);
        if (base.equals(origin())) {
            // the origin's own 416 is never stored (an edge cuts its 416 from the object it holds, with that object's headers)
            assertThat(past.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        String etag = get(base, segment, null).headers().firstValue("ETag").orElseThrow();
        assertThat(get(base, segment, null, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(URI.create(base + segment))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(n);
    }

    /**
     * A segment without its token, with a tampered, expired or another stream's token, with a query,
     * or by a signed URL of its own: refused. Keys: the asset's tenant reads the stream without a
     * token (privately cached), another tenant finds nothing, an upload key is not enough. In the
     * trash, the stream is gone at once, tokens or not.
     */
    void assertRefusals(String base, Video v) throws Exception {
        String versionPrefix = "/streams/" + v.asset() + "/v1/";
        String tokenDir = tokenDir(base, v);
        String segment = "video/seg-00001.m4s";
        String tokenised = tokenDir + segment;
        assertThat(get(base, tokenised, null).statusCode()).isEqualTo(200);

        // without its token: refused (the asset is not public); the master's own signature does not carry over
        HttpResponse<byte[]> bare = get(base, versionPrefix + segment, null);
        assertThat(bare.statusCode()).as("no token, no key").isEqualTo(403);
        String masterQuery = signing.signed(v.master()).substring(v.master().length());
        assertThat(get(base, versionPrefix + segment + masterQuery, null).statusCode()).as("the master's signature on a segment")
                .isEqualTo(403);
        assertThat(get(base, signing.signed(versionPrefix + segment), null).statusCode())
                .as("a segment is never read by a signed URL of its own, only under its token").isEqualTo(404);

        // tampered, expired, another asset's or version's, respelled, with a query
        String token = tokenDir.substring(versionPrefix.length() + 1, tokenDir.length() - 1);
        String sig = token.substring(token.indexOf('.') + 1);
        String tampered = versionPrefix + "~" + token.substring(0, token.indexOf('.') + 1) + (sig.charAt(0) == 'A' ? 'B' : 'A')
                + sig.substring(1) + "/" + segment;
        assertThat(get(base, tampered, null).statusCode()).as("tampered").isEqualTo(403);
        HttpResponse<byte[]> expired = get(base, versionPrefix + "~" + signing.signer().signPrefix(versionPrefix,
                Instant.now().minusSeconds(5)) + "/" + segment, null);
        assertThat(expired.statusCode()).as("expired").isEqualTo(403);
        assertThat(text(expired)).contains("expired");
        String elsewhere = signing.signer().signPrefix("/streams/" + UUID.randomUUID() + "/v1/", Instant.now().plusSeconds(3600));
        HttpResponse<byte[]> moved = get(base, versionPrefix + "~" + elsewhere + "/" + segment, null);
        assertThat(moved.statusCode()).as("another asset's token").isEqualTo(403);
        assertThat(text(moved)).contains("does not match");
        String otherVersion = signing.signer().signPrefix("/streams/" + v.asset() + "/v2/", Instant.now().plusSeconds(3600));
        assertThat(get(base, versionPrefix + "~" + otherVersion + "/" + segment, null).statusCode()).as("another version's token")
                .isEqualTo(403);
        assertThat(get(base, "/streams/" + v.asset() + "/v2/~" + otherVersion + "/" + segment, null).statusCode())
                .as("a version without a stream").isEqualTo(404);
        assertThat(get(base, versionPrefix + "~0" + token + "/" + segment, null).statusCode()).as("another spelling").isEqualTo(403);
        assertThat(get(base, tokenised + "?cachebust=1", null).statusCode()).as("a query").isEqualTo(403);
        assertThat(get(base, tokenDir + "video/seg-99999.m4s", null).statusCode()).as("no such segment").isEqualTo(404);
        assertThat(get(base, tokenDir + "video/notes.txt", null).statusCode()).as("not a stream file").isEqualTo(404);
        assertThat(get(base, tokenDir + "a/b/c/d/e/f/g/h/i.m4s", null).statusCode()).as("too deep").isEqualTo(404);

        // keys
        HttpResponse<byte[]> byKey = get(base, versionPrefix + segment, v.readKey());
        assertThat(byKey.statusCode()).isEqualTo(200);
        assertThat(byKey.body()).isEqualTo(stored(v, v.prefix() + segment));
        assertThat(byKey.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
        assertThat(byKey.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
        HttpResponse<byte[]> masterByKey = get(base, v.master(), v.readKey());
        assertThat(masterByKey.statusCode()).isEqualTo(200);
        assertThat(masterByKey.headers().firstValue("Cache-Control")).hasValue("private, max-age=300");
        assertThat(hlsUris(text(masterByKey))).allMatch(c -> TOKENISED.matcher(c).matches(), "tokenised for a key too");
        UUID other = newTenant("streams-other");
        String otherRead = newKey(other, "read");
        assertThat(get(base, versionPrefix + segment, otherRead).statusCode()).as("another tenant's key").isEqualTo(404);
        assertThat(get(base, v.master(), otherRead).statusCode()).isEqualTo(404);
        assertThat(get(base, v.mpd(), otherRead).statusCode()).isEqualTo(404);
        assertThat(get(base, versionPrefix + segment, newKey(v.tenant(), "upload")).statusCode()).as("no read scope").isEqualTo(403);
        assertThat(get(base, "/streams/" + UUID.randomUUID() + "/master.m3u8", v.readKey()).statusCode()).isEqualTo(404);
        assertThat(get(base, "/streams/" + v.asset().toString().toUpperCase(java.util.Locale.ROOT) + "/master.m3u8", v.readKey())
                .statusCode()).as("one spelling of the id").isEqualTo(404);

        // the trash: gone at once from delivery, tokens and signatures included; back on restore
        JsonHttp write = http.as(newKey(v.tenant(), "read", "write"));
        String signedMaster = signing.signed(v.master());
        assertThat(write.delete("/assets/" + v.asset()).status()).isEqualTo(204);
        awaitCdnPurged(v.asset());
        try {
            assertThat(get(base, tokenised, null).statusCode()).as("a token of an asset in the trash").isEqualTo(404);
            assertThat(get(base, signedMaster, null).statusCode()).isEqualTo(404);
            assertThat(get(base, versionPrefix + segment, v.readKey()).statusCode()).isEqualTo(404);
        } finally {
            assertThat(write.post("/assets/" + v.asset() + "/restore", null).status()).isEqualTo(200);
            awaitCdnPurged(v.asset());
        }
        assertThat(get(base, tokenised, null).statusCode()).isEqualTo(200);
    }

    /** The private video plays to its end from its signed master playlist (hls.js) and MPD (dash.js, Shaka Player), cross-origin. */
    void assertPlays(String base, Video v) throws Exception {
        double duration = Ffmpeg.streamDuration(v.source().toString(), "v");
        for (BrowserPlayer.Library library : BrowserPlayer.Library.values()) {
            String entry = library == BrowserPlayer.Library.HLS_JS ? v.master() : v.mpd();
            BrowserPlayer.Playback played = BrowserPlayer.play(base + signing.signed(entry), library);
            assertThat(played.errors()).as(library + " errors").doesNotContain("fatal");
            assertThat(played.ended()).as(library + " played to its end: " + played.json()).isTrue();
            assertThat(played.currentTime()).as(library.toString()).isCloseTo(duration, Offset.offset(0.25));
            assertThat(played.width()).as(library.toString()).isEqualTo(((Number) v.stream().get("width")).intValue());
            assertThat(played.height()).as(library.toString()).isEqualTo(((Number) v.stream().get("height")).intValue());
        }
    }

    /** The shared video: a corpus clip with audio and several segments, ingested once for a fresh tenant. */
    Video video() throws Exception {
        if (video == null) {
            UUID tenant = newTenant("streams");
            Path source = TestServices.corpus().resolve("video").resolve("video__balle-jbart.mp4");
            UUID asset = TestUploads.stage(staging, source, tenant).id();
            JsonNode ended = http.awaitEnd(http.post("/jobs/mediaIngest/executions",
                    "{\"parameters\": {\"run\": \"streams-" + UUID.randomUUID() + "\"}}").body().get("id").asLong());
            assertThat(ended.get("status").asString()).isEqualTo("COMPLETED");
            Map<String, Object> stream = jdbc.sql("select * from video_stream where asset_id = ? and version = 1").param(asset)
                    .query().singleRow();
            assertThat(((Number) stream.get("segments")).intValue()).as("a clip of several segments").isGreaterThan(1);
            video = new Video(tenant, newKey(tenant, "read"), asset, source, stream);
        }
        return video;
    }

    /** The token directory a fresh signed master playlist names. */
    String tokenDir(String base, Video v) throws Exception {
        HttpResponse<byte[]> master = get(base, signing.signed(v.master()), null);
        assertThat(master.statusCode()).isEqualTo(200);
        String child = hlsUris(text(master)).getFirst();
        Matcher m = TOKENISED.matcher(child);
        assertThat(m.matches()).as(child).isTrue();
        return child.substring(0, child.length() - m.group(3).length());
    }

    /** A fetched child of the stream: 200, the stored bytes of that object, its type, cached as immutable until the token's expiry. */
    private void assertStored(Video v, String object, HttpResponse<byte[]> response, String typePattern) {
        assertThat(response.statusCode()).as(object + ": " + text(response)).isEqualTo(200);
        assertThat(response.body()).as(object).isEqualTo(stored(v, v.prefix() + object));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(object).matches(typePattern + "(;.*)?");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).as(object).matches("public, max-age=\\d+, immutable");
        assertThat(response.headers().firstValue("ETag")).as(object).isPresent();
    }

    /** The URIs of a playlist: its URI lines and its tags' URI attributes, in order. */
    static List<String> hlsUris(String playlist) {
        List<String> uris = new ArrayList<>();
        for (String line : playlist.split("\r?\n")) {
            if (line.startsWith("#")) {
                Matcher m = Pattern.compile("[:,]URI=\"([^\"]*)\"").matcher(line);
                while (m.find()) {
                    uris.add(m.group(1));
                }
            } else if (!line.isBlank()) {
                uris.add(line.strip());
            }
        }
        return uris;
    }

    /** Every init and media segment an MPD's SegmentTemplates name, relative to its BaseURL. */
    static List<String> dashObjects(Element root) {
        List<String> objects = new ArrayList<>();
        NodeList templates = root.getElementsByTagNameNS(DASH, "SegmentTemplate");
        for (int i = 0; i < templates.getLength(); i++) {
            Element template = (Element) templates.item(i);
            String representation = ((Element) template.getParentNode()).getAttribute("id");
            objects.add(template.getAttribute("initialization").replace("$RepresentationID$", representation));
            long number = template.hasAttribute("startNumber") ? Long.parseLong(template.getAttribute("startNumber")) : 1;
            NodeList timeline = template.getElementsByTagNameNS(DASH, "S");
            for (int s = 0; s < timeline.getLength(); s++) {
                Element entry = (Element) timeline.item(s);
                int repeats = entry.hasAttribute("r") ? Integer.parseInt(entry.getAttribute("r")) : 0;
                for (int r = 0; r <= repeats; r++, number++) {
                    String media = template.getAttribute("media").replace("$RepresentationID$", representation);
                    Matcher m = NUMBER.matcher(media);
                    if (m.find()) {
                        String formatted = String.format(java.util.Locale.ROOT, m.group(1) == null ? "%d" : "%0" + m.group(1) + "d", number);
                        media = m.replaceAll(Matcher.quoteReplacement(formatted));
                    }
                    objects.add(media);
                }
            }
        }
        return objects;
    }

    private byte[] stored(Video v, String key) {
        try (InputStream in = store.get(v.bucket(), key).orElseThrow(() -> new AssertionError("not stored: " + key))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> get(String base, String pathAndQuery, String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
