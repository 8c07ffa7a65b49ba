package dev.mediapipeline.core.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks clamd's INSTREAM protocol over TCP: {@code zINSTREAM\0}, then chunks of
 * {@code <4-byte big-endian length><bytes>}, then a zero length; clamd answers one NUL-terminated line.
 *
 * <p>Fails closed. Only the exact reply {@code stream: OK} is clean; {@code stream: <name> FOUND}
 * is infected; every other reply, a refused connection, a timeout or a socket closed without a
 * reply throws {@link ScannerUnavailableException}. When the stream is over clamd's
 * StreamMaxLength clamd answers {@code INSTREAM size limit exceeded. ERROR} and closes the socket
 * while we are still writing: the write fails with a broken pipe, the reply is still read, and it
 * becomes a {@link ScanLimitExceededException}. So does a {@code Heuristics.Limits.Exceeded.*}
 * alert (with {@code AlertExceedsMax yes}, files over clamd's scan limits are reported, not passed).
 */
public class ClamdScanner implements VirusScanner {

    static final String CLEAN = "stream: OK";
    static final String SIZE_LIMIT = "INSTREAM size limit exceeded. ERROR";
    private static final Pattern FOUND = Pattern.compile("stream: (\\S(?:.*\\S)?) FOUND");
    private static final String LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded";
    private static final int MAX_REPLY = 4096;

    private final ClamdProperties properties;

    public ClamdScanner(ClamdProperties properties) {
        this.properties = properties;
    }

    /** closes the socket of an exchange past its deadline: the only way to end a write clamd no longer reads */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private static java.util.concurrent.ScheduledThreadPoolExecutor watchdog() {
        var executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("clamd-deadline").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public ScanVerdict scan(InputStream content) {
        java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
        try (Socket socket = connect()) {
            java.util.concurrent.ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> {
                expired.set(true);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closed either way
                }
            }, properties.scanTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            try {
                return exchange(socket, content);
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException | ScannerUnavailableException e) {
            if (expired.get()) {
                throw new ScannerUnavailableException("clamd did not finish the exchange within " + properties.scanTimeout()
                        + " (media.clamd.scan-timeout)", e);
            }
            if (e instanceof ScannerUnavailableException unavailable) {
                throw unavailable;
            }
            if (e instanceof SocketTimeoutException) {
                throw new ScannerUnavailableException("clamd did not answer within " + properties.readTimeout(), e);
            }
            throw new ScannerUnavailableException("clamd at " + address() + " is unreachable: " + e.getMessage(), e);
        }
    }

    private ScanVerdict exchange(Socket socket, InputStream content) throws IOException {
        OutputStream out = socket.getOutputStream();
        IOException writeFailure = null;
        try {
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            streamChunks(content, out);
        } catch (IOException e) {
            // clamd may have closed its side after answering (size limit): read what it said
            writeFailure = e;
        }
        String reply = readReply(socket);
        if (reply.isEmpty()) {
            throw new ScannerUnavailableException("clamd closed the connection without a verdict"
                    + (writeFailure == null ? "" : " (" + writeFailure.getMessage() + ")"), writeFailure);
        }
        if (writeFailure != null && reply.equals(CLEAN)) {
            // it did not get all of the content, so its OK says nothing of it
            throw new ScannerUnavailableException("clamd answered OK to a stream it did not read to its end ("
                    + writeFailure.getMessage() + ")", writeFailure);
        }
        return parse(reply);
    }

    @Override
    public String version() {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("zVERSION\0".getBytes(StandardCharsets.US_ASCII));
            String reply = readReply(socket);
            if (!reply.startsWith("ClamAV ")) {
                throw new ScannerUnavailableException("unexpected clamd VERSION reply: " + printable(reply));
            }
            return reply;
        } catch (IOException e) {
            throw new ScannerUnavailableException("clamd at " + address() + " is unreachable: " + e.getMessage(), e);
        }
    }

    /** Turns one clamd reply into a verdict, strictly. Package-visible for the protocol tests. */
    static ScanVerdict parse(String reply) {
        if (reply.equals(CLEAN)) {
            return new ScanVerdict.Clean();
        }
        if (reply.equals(SIZE_LIMIT)) {
            throw new ScanLimitExceededException("the content is larger than clamd's StreamMaxLength and was not scanned");
        }
        Matcher found = FOUND.matcher(reply);
        if (found.matches()) {
            String signature = found.group(1);
            if (signature.startsWith(LIMITS_EXCEEDED)) {
                throw new ScanLimitExceededException("clamd could not scan all of the content: " + signature);
            }
            return new ScanVerdict.Infected(signature);
        }
        throw new ScannerUnavailableException("clamd gave no verdict: " + printable(reply));
    }

    private void streamChunks(InputStream content, OutputStream out) throws IOException {
        byte[] buffer = new byte[(int) properties.chunkSize().toBytes()];
        byte[] length = new byte[4];
        long limit = properties.streamMaxLength().toBytes();
        long sent = 0;
        while (true) {
            int n;
            try {
                n = content.readNBytes(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the content to scan", e);
            }
            sent += n;
            if (sent > limit) {
                // never more than clamd was checked to scan to its end (ScannerLimitsCheck)
                throw new ScanLimitExceededException("the content is larger than clamd's StreamMaxLength (media.clamd.stream-max-length, "
                        + limit + " bytes) and was not scanned");
            }
            writeLength(length, n, out);
            if (n == 0) {
                out.flush();
                return;
            }
            out.write(buffer, 0, n);
        }
    }

    private static void writeLength(byte[] length, int n, OutputStream out) throws IOException {
        length[0] = (byte) (n >>> 24);
        length[1] = (byte) (n >>> 16);
        length[2] = (byte) (n >>> 8);
        length[3] = (byte) n;
        out.write(length);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address(), (int) properties.connectTimeout().toMillis());
            socket.setSoTimeout((int) properties.readTimeout().toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(properties.host(), properties.port());
    }

    /** Reads up to the terminating NUL (or the end of the stream). */
    private static String readReply(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0) {
            reply.write(b);
            if (reply.size() > MAX_REPLY) {
                throw new ScannerUnavailableException("clamd reply longer than " + MAX_REPLY + " bytes");
            }
        }
        String text = reply.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String reply) {
        return '"' + reply.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
