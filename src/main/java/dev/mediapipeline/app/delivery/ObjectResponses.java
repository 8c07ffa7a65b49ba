package dev.mediapipeline.app.delivery;

import dev.mediapipeline.core.usage.DeliveryFormat;
import dev.mediapipeline.core.usage.UsageMeter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;

/**
 * How the origin answers a GET or HEAD of one representation, whatever serves it ({@code /media}
 * and {@code /streams}): {@code If-None-Match} (304), one byte range ({@code Range}, 206 and 416,
 * {@code If-Range}), {@code ETag}, {@code Accept-Ranges}, {@code Content-Length}, and the bytes
 * streamed as they are read, never held whole.
 */
final class ObjectResponses {

    /**
     * What is served.
     *
     * @param etag               the strong validator, quoted
     * @param cacheControl       set on the answers that may be cached: 200, 206 and 304
     * @param contentDisposition null for none; set on 200 and 206
     */
    record Representation(String etag, long length, String contentType, String cacheControl, String contentDisposition) {
    }

    /** Opens the representation's bytes. */
    @FunctionalInterface
    interface Opener {
        /** Bytes {@code first} to {@code last} (inclusive); {@code whole} when that is every byte and no range was asked. */
        InputStream open(long first, long last, boolean whole) throws IOException;
    }

    /**
     * Opens an object of the store: the whole of it, or the asked range, read from S3 as it is sent.
     * A missing object is the store's fault, not the caller's ({@code what} names it in the error).
     */
    static Opener stored(dev.mediapipeline.core.storage.ObjectStore store, String bucket, String key, String what) {
        return (first, last, whole) -> (whole ? store.get(bucket, key) : store.get(bucket, key, first, last))
                .orElseThrow(() -> new IllegalStateException(what + ": " + bucket + "/" + key + " is missing"));
    }

    /** What was sent: the answer (full, partial, head, not-modified, unsatisfiable) and how many body bytes. */
    record Sent(String answer, long bytes) {
    }

    private ObjectResponses() {
    }

    /**
     * Serves {@code what} and counts the answer ({@link DeliveryCounters}): what was sent, or, when the
     * client went away half way, {@code aborted} with the bytes it did get.
     *
     * @param format the format label ({@link DeliveryFormat#of} of the content type, or {@code original})
     */
    static void serve(Representation what, Opener opener, HttpServletRequest request, HttpServletResponse response, DeliveryCounters counters,
            String route, String format, UsageMeter.Subject subject) throws IOException {
        Counting counting = new Counting();
        try {
            Sent sent = serve(what, opener, request, response, counting);
            counters.count(request, route, format, subject, sent.answer(), sent.bytes());
        } catch (IOException | RuntimeException e) {
            if (counting.bytes > 0) {
                counters.count(request, route, format, subject, "aborted", counting.bytes);
            }
            throw e;
        }
    }

    /** Counts the body bytes written, as they are written. */
    private static final class Counting {
        long bytes;

        java.io.OutputStream wrap(java.io.OutputStream out) {
            return new java.io.FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    bytes += len;
                }
            };
        }
    }

    private static Sent serve(Representation what, Opener opener, HttpServletRequest request, HttpServletResponse response, Counting counting)
            throws IOException {
        String etag = what.etag();
        long length = what.length();
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            validators(response, what);
            return new Sent("not-modified", 0);
        }
        long first = 0;
        long last = length - 1;
        boolean partial = false;
        String range = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        if (range != null && (ifRange == null || ifRange.strip().equals(etag))) {
            List<HttpRange> ranges;
            try {
                ranges = range.length() > 200 ? List.of() : HttpRange.parseRanges(range);
            } catch (IllegalArgumentException e) {
                ranges = List.of(); // a malformed Range is ignored: the whole object
            }
            if (ranges.size() == 1) {
                HttpRange only = ranges.getFirst();
                if (unsatisfiable(only, length)) {
                    // never cached: a hostile Range on a shared URL must not leave a 416 in a CDN
                    response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
                    response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
                    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    response.setContentLength(0);
                    return new Sent("unsatisfiable", 0);
                }
                first = only.getRangeStart(length);
                last = only.getRangeEnd(length);
                partial = true;
            }
            // several ranges: the whole object, as RFC 9110 allows
        }
        boolean head = "HEAD".equals(request.getMethod());
        // opened before any header of success is set: a failure here is an error response with nothing cacheable on it
        InputStream body = !head && length > 0 ? opener.open(first, last, !partial) : null;
        try (InputStream in = body) {
            validators(response, what);
            response.setContentType(what.contentType());
            if (what.contentDisposition() != null) {
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, what.contentDisposition());
            }
            if (partial) {
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length);
            }
            response.setContentLengthLong(length == 0 ? 0 : last - first + 1);
            long sent = in == null ? 0 : in.transferTo(counting.wrap(response.getOutputStream()));
            return new Sent(head ? "head" : partial ? "partial" : "full", sent);
        }
    }

    /** ETag, Accept-Ranges and Cache-Control, for the answers that may be cached: 200, 206 and 304. */
    private static void validators(HttpServletResponse response, Representation what) {
        response.setHeader(HttpHeaders.ETAG, what.etag());
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, what.cacheControl());
    }

    private static boolean unsatisfiable(HttpRange range, long length) {
        try {
            long start = range.getRangeStart(length);
            return start >= length || length == 0;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
