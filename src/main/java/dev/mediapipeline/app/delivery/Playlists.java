package dev.mediapipeline.app.delivery;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Rewrites a stream's entry points per request so that every child a player fetches carries the
 * stream token: in an HLS master playlist each child URI (URI lines and {@code URI="..."}
 * attributes) becomes {@code <base><child>}; an MPD gets an MPD-level {@code <BaseURL>} of the base,
 * under which its SegmentTemplates' relative {@code initialization} and {@code media} resolve.
 * Everything else is kept byte for byte. The base is an absolute path
 * ({@code /streams/<asset>/v<n>/~<token>/}), so it resolves on the origin the entry point came from.
 *
 * <p>Entry points are the packager's own files, at most {@link #MAX_BYTES}; one whose children this
 * origin could not serve under the token (an absolute URL, a parent directory, an MPD that names its
 * own BaseURL or a remote element) is refused rather than passed through with URLs that would
 * escape the token.
 */
final class Playlists {

    /** An entry point is read whole to be rewritten: larger ones are refused. */
    static final int MAX_BYTES = 1 << 20;
    /** How many path segments a stream object may have under its version (or token) directory. */
    static final int MAX_SEGMENTS = 8;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    /** a SegmentTemplate's segment: a file name with {@code $Number%05d$}-style identifiers */
    private static final Pattern TEMPLATE_SEGMENT = Pattern.compile("[A-Za-z0-9._$%-]+");
    /** a URI attribute of an HLS tag ({@code EXT-X-MEDIA}, {@code EXT-X-I-FRAME-STREAM-INF}, ...): the name is the whole attribute name */
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("([:,])URI=\"([^\"]*)\"");
    private static final String DASH = "urn:mpeg:dash:schema:mpd:2011";
    private static final String XLINK = "http://www.w3.org/1999/xlink";
    /** MPD elements whose text is a URL the origin would have to tokenise: the packager writes none */
    private static final Set<String> URL_ELEMENTS = Set.of("BaseURL", "Location", "PatchLocation");
    /** the attributes of each MPD element that name a file relative to the BaseURL */
    private static final Map<String, List<String>> URL_ATTRIBUTES = Map.of(
            "SegmentTemplate", List.of("initialization", "media", "index", "bitstreamSwitching"),
            "Initialization", List.of("sourceURL"),
            "RepresentationIndex", List.of("sourceURL"),
            "BitstreamSwitching", List.of("sourceURL"),
            "SegmentURL", List.of("media", "index"));

    private Playlists() {
    }

    /** Whether {@code segments} name a stream object: 1 to {@link #MAX_SEGMENTS} plain names, none of them {@code .} or with {@code ..}. */
    static boolean validPath(List<String> segments) {
        return valid(segments, SEGMENT);
    }

    /** An HLS master playlist with every child URI under {@code base}. */
    static byte[] hlsMaster(byte[] stored, String base) {
        String text = decode(stored, "master playlist");
        if (!text.startsWith("#EXTM3U")) {
            throw new IllegalStateException("the stored master playlist does not start with #EXTM3U");
        }
        StringBuilder out = new StringBuilder(text.length() + 2048);
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            String line = text.substring(start, end);
            String content = line.stripTrailing();
            String terminator = line.substring(content.length());
            if (content.isBlank() || content.startsWith("#") && !content.startsWith("#EXT")) {
                out.append(line); // blank lines and comments
            } else if (content.startsWith("#EXT")) {
                Matcher uri = URI_ATTRIBUTE.matcher(content);
                StringBuilder tag = new StringBuilder();
                while (uri.find()) {
                    uri.appendReplacement(tag, Matcher.quoteReplacement(uri.group(1) + "URI=\"" + child(base, uri.group(2)) + "\""));
                }
                uri.appendTail(tag);
                out.append(tag).append(terminator);
            } else {
                out.append(child(base, content)).append(terminator);
            }
            start = end;
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * An MPD with {@code <BaseURL>base</BaseURL>} as the first child of its root, indented as a child
     * of the root; the packager writes no ProgramInformation, the one element the schema places
     * before it. The document is parsed first (no DTD, no external entities), to check that the
     * root is a DASH MPD and that every URL in it resolves under the base.
     */
    static byte[] mpd(byte[] stored, String base) {
        String text = decode(stored, "MPD");
        String prefix = checkMpd(text);
        int insertAt = rootStartTagEnd(text);
        String element = prefix.isEmpty() ? "BaseURL" : prefix + ":BaseURL";
        String rewritten = text.substring(0, insertAt) + "\n  <" + element + ">" + base + "</" + element + ">" + text.substring(insertAt);
        return rewritten.getBytes(StandardCharsets.UTF_8);
    }

    /** A child URI under the base, when it is a relative path of plain names (what the packager writes). */
    private static String child(String base, String uri) {
        if (!validPath(List.of(uri.split("/", -1)))) {
            throw new IllegalStateException("the stored master playlist names a child this origin cannot serve under its token: "
                    + abbreviated(uri));
        }
        return base + uri;
    }

    /** The root's namespace prefix ("" for the default namespace), once the whole document is checked. */
    private static String checkMpd(String text) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        String rootPrefix = null;
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(text));
            try {
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                        throw new IllegalStateException("the stored MPD has a DTD or an entity reference: not rewritten");
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String name = xml.getLocalName();
                    if (rootPrefix == null) {
                        if (!name.equals("MPD") || !DASH.equals(xml.getNamespaceURI())) {
                            throw new IllegalStateException("the stored MPD's root is not an MPD of " + DASH);
                        }
                        rootPrefix = xml.getPrefix() == null ? XMLConstants.DEFAULT_NS_PREFIX : xml.getPrefix();
                    }
                    if (URL_ELEMENTS.contains(name)) {
                        throw new IllegalStateException("the stored MPD names its own " + name + ": this origin cannot serve it under a token");
                    }
                    for (int i = 0; i < xml.getAttributeCount(); i++) {
                        if (XLINK.equals(xml.getAttributeNamespace(i))) {
                            throw new IllegalStateException("the stored MPD has a remote element (xlink): not rewritten");
                        }
                    }
                    for (String attribute : URL_ATTRIBUTES.getOrDefault(name, List.of())) {
                        String value = xml.getAttributeValue(null, attribute);
                        if (value != null && !valid(List.of(value.split("/", -1)), TEMPLATE_SEGMENT)) {
                            throw new IllegalStateException("the stored MPD's " + name + " " + attribute
                                    + " is not a relative path this origin can serve under its token: " + abbreviated(value));
                        }
                    }
                }
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the stored MPD is not well-formed XML: " + e.getMessage(), e);
        }
        if (rootPrefix == null) {
            throw new IllegalStateException("the stored MPD has no root element");
        }
        return rootPrefix;
    }

    /**
     * Where the root's start tag ends (just past its {@code >}) in a document already found
     * well-formed: past the XML declaration, processing instructions, comments and white space,
     * then to the first {@code >} outside a quoted attribute value.
     */
    private static int rootStartTagEnd(String text) {
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (text.startsWith("<?", i)) {
                i = text.indexOf("?>", i) + 2;
            } else if (text.startsWith("<!--", i)) {
                i = text.indexOf("-->", i) + 3;
            } else {
                break;
            }
        }
        char quote = 0;
        for (int j = i + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                if (text.charAt(j - 1) == '/') {
                    throw new IllegalStateException("the stored MPD's root element is empty");
                }
                return j + 1;
            }
        }
        throw new IllegalStateException("the stored MPD's root start tag does not end");
    }

    private static boolean valid(List<String> segments, Pattern segment) {
        if (segments.isEmpty() || segments.size() > MAX_SEGMENTS) {
            return false;
        }
        for (String s : segments) {
            if (!segment.matcher(s).matches() || s.equals(".") || s.contains("..")) {
                return false;
            }
        }
        return true;
    }

    /** The stored bytes as UTF-8, which playlists and MPDs are: refused when larger than {@link #MAX_BYTES} or not UTF-8. */
    private static String decode(byte[] stored, String what) {
        if (stored.length > MAX_BYTES) {
            throw new IllegalStateException("the stored " + what + " is over " + MAX_BYTES + " bytes: not rewritten");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(stored)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("the stored " + what + " is not UTF-8");
        }
    }

    private static String abbreviated(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }
}
