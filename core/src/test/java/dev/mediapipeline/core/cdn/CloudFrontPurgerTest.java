package dev.mediapipeline.core.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * CloudFront invalidations against a loopback server that reads each request as CloudFront does
 * (method, path, SigV4 scope, the InvalidationBatch XML) and answers as its API does: 201 with the
 * invalidation, or an ErrorResponse.
 */
@Tag("fast")
class CloudFrontPurgerTest {

    static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";
    static final String NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    /** One CreateInvalidation as the server read it. */
    record Invalidation(String method, String path, String authorization, String callerReference, int quantity, List<String> paths) {
    }

    /** A scripted answer: the status and, for an error, CloudFront's code. */
    record Answer(int status, String code) {
    }

    HttpServer server;
    CloudFrontPurger purger;
    final List<Invalidation> received = Collections.synchronizedList(new ArrayList<>());
    final Deque<Answer> answers = new ConcurrentLinkedDeque<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        purger = new CloudFrontPurger(DISTRIBUTION, URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @AfterEach
    void stop() {
        purger.close();
        server.stop(0);
    }

    @Test
    void oneInvalidationCarriesTheEncodedPathsUnderAFreshReference() throws Exception {
        purger.purge(List.of("/media/a b/é.jpg", "/media/x/jpeg/320?exp=1700000000&sig=abc"));
        assertThat(received).hasSize(1);
        Invalidation first = received.getFirst();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation");
        assertThat(first.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/us-east-1/cloudfront/aws4_request");
        assertThat(first.quantity()).isEqualTo(2);
        assertThat(first.paths()).containsExactly("/media/a%20b/%C3%A9.jpg", "/media/x/jpeg/320?exp=1700000000&sig=abc");
        assertThat(first.callerReference()).isNotBlank();

        purger.purge(List.of("/media/a b/é.jpg", "/media/x/jpeg/320?exp=1700000000&sig=abc"));
        assertThat(received.get(1).callerReference()).as("another purge, another reference").isNotEqualTo(first.callerReference());
    }

    @Test
    void aPrefixIsAWildcard() throws Exception {
        purger.purgePrefix("/streams/abc/");
        assertThat(received).singleElement().satisfies(i -> {
            assertThat(i.quantity()).isEqualTo(1);
            assertThat(i.paths()).containsExactly("/streams/abc/*");
        });
    }

    @Test
    void aBatchIsCutWithinCloudFrontsLimits() throws Exception {
        List<String> paths = IntStream.range(0, 3001).mapToObj(n -> "/media/" + n + "/original").toList();
        purger.purge(paths);
        assertThat(received).hasSize(2);
        assertThat(received.get(0).quantity()).isEqualTo(3000);
        assertThat(received.get(1).quantity()).isEqualTo(1);
        assertThat(received.get(1).paths()).containsExactly("/media/3000/original");
        assertThat(received.get(0).callerReference()).isNotEqualTo(received.get(1).callerReference());

        received.clear();
        List<String> prefixes = IntStream.range(0, 20).mapToObj(n -> "/streams/" + n + "/").toList();
        purger.purge(new PurgeBatch("wildcards", List.of("/media/a/original"), prefixes));
        assertThat(received).extracting(Invalidation::quantity).as("at most 15 wildcards an invalidation").containsExactly(16, 5);
        assertThat(received.get(0).paths()).first().isEqualTo("/media/a/original");
        assertThat(received.get(1).paths()).containsExactly("/streams/15/*", "/streams/16/*", "/streams/17/*", "/streams/18/*", "/streams/19/*");
    }

    @Test
    void aRetryOfTheSameBatchReusesItsReferences() throws Exception {
        PurgeBatch batch = new PurgeBatch("purge-42", IntStream.range(0, 3001).mapToObj(n -> "/media/" + n + "/webp/640").toList(), List.of());
        answers.add(new Answer(201, null));
        answers.add(new Answer(503, "ServiceUnavailable"));
        assertThatThrownBy(() -> purger.purge(batch)).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("503", "ServiceUnavailable", "2 of 2", DISTRIBUTION);
        });
        purger.purge(batch);
        assertThat(received).hasSize(4);
        assertThat(received.get(2).callerReference()).isEqualTo(received.get(0).callerReference());
        assertThat(received.get(3).callerReference()).isEqualTo(received.get(1).callerReference());
        assertThat(received.get(2).paths()).isEqualTo(received.get(0).paths());

        purger.purge(new PurgeBatch("purge-43", batch.paths(), List.of()));
        assertThat(received.get(4).callerReference()).as("another batch").isNotEqualTo(received.get(0).callerReference());
    }

    @Test
    void serverFaultsAreRetryableRefusalsAreNot() {
        answers.add(new Answer(500, "InternalError"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class,
                e -> assertThat(e.retryable()).isTrue());
        answers.add(new Answer(400, "InvalidArgument"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("400", "InvalidArgument");
        });
        answers.add(new Answer(400, "TooManyInvalidationsInProgress"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).as("CloudFront's limit of invalidations in progress: later")
                .isInstanceOfSatisfying(PurgeException.class, e -> assertThat(e.retryable()).isTrue());
        answers.add(new Answer(403, "AccessDenied"));
        assertThatThrownBy(() -> purger.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class,
                e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void noAnswerIsRetryable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (CloudFrontPurger unreachable = new CloudFrontPurger(DISTRIBUTION, URI.create("http://127.0.0.1:" + closed), "AKIDEXAMPLE", "secret")) {
            assertThatThrownBy(() -> unreachable.purge(List.of("/a"))).isInstanceOfSatisfying(PurgeException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readNBytes(4 << 20);
            Document xml = parse(body);
            Element root = xml.getDocumentElement();
            assertThat(root.getLocalName()).isEqualTo("InvalidationBatch");
            assertThat(root.getNamespaceURI()).isEqualTo(NS);
            Element paths = only(root, "Paths");
            List<String> items = new ArrayList<>();
            NodeList listed = paths.getElementsByTagNameNS(NS, "Path");
            for (int i = 0; i < listed.getLength(); i++) {
                items.add(listed.item(i).getTextContent());
            }
            Invalidation invalidation = new Invalidation(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), only(root, "CallerReference").getTextContent(),
                    Integer.parseInt(only(paths, "Quantity").getTextContent()), List.copyOf(items));
            received.add(invalidation);
            Answer scripted = answers.poll();
            if (scripted == null || scripted.status() == 201) {
                String id = "I" + received.size() + "EXAMPLE";
                exchange.getResponseHeaders().add("Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation/" + id);
                send(exchange, 201, invalidationXml(id, invalidation));
            } else {
                send(exchange, scripted.status(), """
                        <?xml version="1.0"?>
                        <ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>scripted %s</Message></Error><RequestId>b7a1c0de-0000-4000-8000-000000000001</RequestId></ErrorResponse>"""
                        .formatted(NS, scripted.status() >= 500 ? "Receiver" : "Sender", scripted.code(), scripted.code()));
            }
        } catch (AssertionError | RuntimeException e) {
            // the request was not what CloudFront takes: a 400 the test then sees as a refusal, and the reason in its log
            e.printStackTrace();
            send(exchange, 400, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>MalformedInput</Code><Message>"
                    + String.valueOf(e.getMessage()).replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error></ErrorResponse>");
        } finally {
            exchange.close();
        }
    }

    private static String invalidationXml(String id, Invalidation invalidation) {
        StringBuilder items = new StringBuilder();
        for (String path : invalidation.paths()) {
            items.append("<Path>").append(path.replace("&", "&amp;").replace("<", "&lt;")).append("</Path>");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Invalidation xmlns="%s"><Id>%s</Id><Status>InProgress</Status><CreateTime>2026-11-29T12:00:00.000Z</CreateTime><InvalidationBatch><Paths><Quantity>%d</Quantity><Items>%s</Items></Paths><CallerReference>%s</CallerReference></InvalidationBatch></Invalidation>"""
                .formatted(NS, id, invalidation.quantity(), items, invalidation.callerReference());
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.strip().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.getResponseHeaders().add("x-amz-request-id", "b7a1c0de-0000-4000-8000-000000000001");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new IllegalStateException("the body is not XML: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    private static Element only(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        Element found = null;
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && name.equals(child.getLocalName()) && NS.equals(child.getNamespaceURI())) {
                assertThat(found).as("one " + name + " in " + parent.getLocalName()).isNull();
                found = child;
            }
        }
        assertThat(found).as(name + " in " + parent.getLocalName()).isNotNull();
        return found;
    }
}
