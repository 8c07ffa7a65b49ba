package dev.mediapipeline.core.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP/1.1 proxy in front of an S3 endpoint (the embedded S3Proxy) that misbehaves on
 * command, as S3 and the network do: it answers the next requests matching a predicate with
 * {@code 503 SlowDown} (S3's XML error) without passing them on, and cuts the body of the next
 * matching GET after some bytes (the full {@code Content-Length} announced, then the connection
 * closed). Everything else passes through byte for byte.
 *
 * <p>Point the S3 client at {@link #endpoint()}. SigV4 signs the {@code Host} header, which then
 * names this proxy: the proxy is a raw-socket forwarder that sends every request upstream with the
 * headers the client sent, {@code Host} included, and S3Proxy (with no virtual host configured)
 * checks the signature against the headers it receives, so it verifies. The one header not passed
 * on is {@code Expect: 100-continue} (not signed: the SDK leaves {@code expect} out of SigV4): the
 * proxy answers the client's expectation itself. Each request gets its own upstream connection, so
 * an idle upstream timeout can never break a client's kept-alive connection.
 */
public final class FaultyS3Proxy implements AutoCloseable {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_HEAD = 64 * 1024;

    /**
     * One request as the client sent it.
     *
     * @param target  the request target: path and query as sent ({@code /bucket/key?partNumber=1})
     * @param headers names in lower case; repeated headers joined by commas
     */
    public record Request(String method, String target, Map<String, String> headers) {

        /** The target without its query. */
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** The query, without its '?'; empty when there is none. */
        public String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }
    }

    /** Requests with this method whose path starts with the prefix ({@code "/media-final/"}: the bucket's objects). */
    public static Predicate<Request> matching(String method, String pathPrefix) {
        return r -> r.method().equals(method) && r.path().startsWith(pathPrefix);
    }

    private static final class Fault {
        final Predicate<Request> which;
        final long afterBytes;
        int remaining;

        Fault(Predicate<Request> which, long afterBytes, int remaining) {
            this.which = which;
            this.afterBytes = afterBytes;
            this.remaining = remaining;
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Fault> slowDowns = new ArrayList<>(); // guarded by this
    private final List<Fault> cuts = new ArrayList<>(); // guarded by this
    private final AtomicInteger slowDownsServed = new AtomicInteger();
    private final AtomicInteger cutsServed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final List<String> served = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FaultyS3Proxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Starts the proxy on a free loopback port, in front of {@code upstream} ({@code http://host:port}). */
    public static FaultyS3Proxy start(URI upstream) {
        if (!"http".equals(upstream.getScheme())) {
            throw new IllegalArgumentException("plain http upstreams only: " + upstream);
        }
        try {
            ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            FaultyS3Proxy proxy = new FaultyS3Proxy(server, new InetSocketAddress(upstream.getHost(),
                    upstream.getPort() < 0 ? 80 : upstream.getPort()));
            Thread.ofPlatform().daemon().name("faulty-s3-proxy-" + server.getLocalPort()).start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy", e);
        }
    }

    /** Where the S3 client should send its requests. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code times} requests that match are answered {@code 503 SlowDown} and never reach the store. */
    public synchronized void slowDown(int times, Predicate<Request> which) {
        slowDowns.add(new Fault(which, 0, times));
    }

    /**
     * The next matching GET answered 200 with a body longer than {@code afterBytes} gets its headers
     * (the full Content-Length) and only its first {@code afterBytes} bytes, then the connection
     * closes, as a connection reset half way through a download does. Shorter or unsuccessful answers
     * pass untouched and leave the fault armed.
     */
    public synchronized void cutNextGet(Predicate<Request> which, long afterBytes) {
        cuts.add(new Fault(which, afterBytes, 1));
    }

    /** Disarms every fault not served yet. */
    public synchronized void heal() {
        slowDowns.clear();
        cuts.clear();
    }

    /** How many 503 SlowDown answers the proxy gave. */
    public int slowDownsServed() {
        return slowDownsServed.get();
    }

    /** How many response bodies the proxy cut. */
    public int cutsServed() {
        return cutsServed.get();
    }

    /** How many requests went to the store and came back whole. */
    public int forwarded() {
        return forwarded.get();
    }

    /** Each fault served, in order: {@code "503 PUT /bucket/key"}, {@code "cut GET /bucket/key after 1000 of 52000 bytes"}. */
    public List<String> served() {
        return List.copyOf(served);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            open.add(client);
            Thread.ofVirtual().name("faulty-s3-proxy-connection").start(() -> serve(client));
        }
    }

    /** One client connection: its requests one after another (the SDK's HTTP client does not pipeline). */
    private void serve(Socket client) {
        try {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
            while (!closed) {
                Head head = Head.read(in);
                if (head == null) {
                    return; // the client closed its idle connection
                }
                Request request = head.request();
                boolean expectContinue = "100-continue".equalsIgnoreCase(head.header("expect"));
                Framing body = Framing.ofRequest(head);
                if (takeSlowDown(request)) {
                    if (expectContinue) {
                        out.write(CONTINUE);
                        out.flush();
                    }
                    body.transfer(in, OutputStream.nullOutputStream());
                    slowDown(out, request);
                    continue;
                }
                if (!forward(head, request, expectContinue, body, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client or the store went away: so does this connection
        } finally {
            open.remove(client);
            closeQuietly(client);
        }
    }

    /** Passes one request to the store and its answer back; false when the client connection must close. */
    private boolean forward(Head head, Request request, boolean expectContinue, Framing body, InputStream in, OutputStream out)
            throws IOException {
        try (Socket up = new Socket()) {
            open.add(up);
            up.connect(upstream, 10_000);
            up.setTcpNoDelay(true);
            InputStream upIn = new BufferedInputStream(up.getInputStream(), 64 * 1024);
            OutputStream upOut = new BufferedOutputStream(up.getOutputStream(), 64 * 1024);
            upOut.write(head.bytesWithout("expect"));
            if (expectContinue) {
                out.write(CONTINUE);
                out.flush();
            }
            body.transfer(in, upOut);
            upOut.flush();
            Head response;
            do {
                response = Head.read(upIn);
                if (response == null) {
                    throw new EOFException("the store closed the connection without answering " + request.method() + " " + request.target());
                }
            } while (response.status() / 100 == 1);
            Framing responseBody = Framing.ofResponse(response, request.method());
            Fault cut = request.method().equals("GET") && response.status() == 200 ? takeCut(request, responseBody.length()) : null;
            out.write(response.bytes());
            if (cut != null) {
                copyExactly(upIn, out, cut.afterBytes);
                out.flush();
                served.add("cut " + request.method() + " " + request.target() + " after " + cut.afterBytes + " of "
                        + responseBody.length() + " bytes");
                cutsServed.incrementAndGet();
                return false; // closing the client connection ends the body short of its Content-Length
            }
            responseBody.transfer(upIn, out);
            out.flush();
            forwarded.incrementAndGet();
            return !responseBody.untilClose() && !"close".equalsIgnoreCase(response.header("connection"))
                    && !"close".equalsIgnoreCase(head.header("connection"));
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    private synchronized boolean takeSlowDown(Request request) {
        for (Fault fault : slowDowns) {
            if (fault.remaining > 0 && fault.which.test(request)) {
                fault.remaining--;
                served.add("503 " + request.method() + " " + request.target());
                slowDownsServed.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    private synchronized Fault takeCut(Request request, long length) {
        for (Fault fault : cuts) {
            if (fault.remaining > 0 && length > fault.afterBytes && fault.which.test(request)) {
                fault.remaining--;
                return fault;
            }
        }
        return null;
    }

    /** S3's answer to a request rate it will not take, as AWS words it. */
    private static void slowDown(OutputStream out, Request request) throws IOException {
        String requestId = Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message><RequestId>" + requestId + "</RequestId>"
                + "<HostId>faulty-s3-proxy</HostId></Error>").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Slow Down\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "x-amz-request-id: " + requestId + "\r\n"
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!request.method().equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    private static void copyExactly(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException(left + " of " + count + " bytes missing");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** A message's start line and header lines, as received. */
    private record Head(String startLine, List<String> lines) {

        /** The next head on the stream; null when the stream ends before its first byte. */
        static Head read(InputStream in) throws IOException {
            String start = readLine(in, true);
            if (start == null) {
                return null;
            }
            while (start.isEmpty()) { // stray CRLF between messages (RFC 9112 2.2)
                start = readLine(in, true);
                if (start == null) {
                    return null;
                }
            }
            List<String> lines = new ArrayList<>();
            int size = start.length();
            for (String line; !(line = readLine(in, false)).isEmpty(); ) {
                size += line.length() + 2;
                if (size > MAX_HEAD) {
                    throw new IOException("a message head over " + MAX_HEAD + " bytes");
                }
                lines.add(line);
            }
            return new Head(start, lines);
        }

        String header(String name) {
            String found = null;
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    String value = line.substring(colon + 1).trim();
                    found = found == null ? value : found + "," + value;
                }
            }
            return found;
        }

        Request request() throws IOException {
            String[] parts = startLine.split(" ");
            if (parts.length != 3) {
                throw new IOException("not an HTTP request line: " + startLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                            (a, b) -> a + "," + b);
                }
            }
            return new Request(parts[0], parts[1], Map.copyOf(headers));
        }

        int status() throws IOException {
            String[] parts = startLine.split(" ", 3);
            try {
                return Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IOException("not an HTTP status line: " + startLine, e);
            }
        }

        byte[] bytes() {
            return bytesWithout(null);
        }

        /** The head as it came, without the lines of one header (null: all of them). */
        byte[] bytesWithout(String name) {
            StringBuilder b = new StringBuilder(startLine).append("\r\n");
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (name != null && colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    continue;
                }
                b.append(line).append("\r\n");
            }
            return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** How a message's body is delimited (RFC 9112 6.3). */
    private record Framing(boolean chunked, long length, boolean untilClose) {

        static final Framing NONE = new Framing(false, 0, false);

        static Framing ofRequest(Head head) throws IOException {
            if (isChunked(head)) {
                return new Framing(true, -1, false);
            }
            String length = head.header("content-length");
            return length == null ? NONE : new Framing(false, parseLength(length), false);
        }

        static Framing ofResponse(Head head, String requestMethod) throws IOException {
            int status = head.status();
            if (requestMethod.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
                return NONE;
            }
            if (isChunked(head)) {
                return new Framing(true, -1, false);
            }
            String length = head.header("content-length");
            return length == null ? new Framing(false, -1, true) : new Framing(false, parseLength(length), false);
        }

        private static boolean isChunked(Head head) {
            String te = head.header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        private static long parseLength(String value) throws IOException {
            try {
                return Long.parseLong(value.contains(",") ? value.substring(0, value.indexOf(',')).trim() : value);
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length " + value, e);
            }
        }

        /** Copies the body from {@code in} to {@code out}, framing included. */
        void transfer(InputStream in, OutputStream out) throws IOException {
            if (untilClose) {
                in.transferTo(out);
            } else if (chunked) {
                while (true) {
                    String sizeLine = readLine(in, false);
                    out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    String hex = sizeLine.contains(";") ? sizeLine.substring(0, sizeLine.indexOf(';')) : sizeLine;
                    long size;
                    try {
                        size = Long.parseLong(hex.trim(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad chunk size line " + sizeLine, e);
                    }
                    if (size == 0) {
                        for (String trailer; !(trailer = readLine(in, false)).isEmpty(); ) {
                            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        return;
                    }
                    copyExactly(in, out, size);
                    readLine(in, false); // the CRLF after the chunk's data
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            } else if (length > 0) {
                copyExactly(in, out, length);
            }
        }
    }

    /** One CRLF- (or LF-) terminated line without its terminator; null at the end of the stream only if allowed and no byte came. */
    private static String readLine(InputStream in, boolean endAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("the stream ended inside a line");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() > MAX_HEAD) {
                throw new IOException("a line over " + MAX_HEAD + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
