package dev.mediapipeline.core.cdn;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP exchange the HTTP purgers share: connecting takes at most {@link #CONNECT_TIMEOUT}, the
 * whole exchange (answer and body) at most {@link #REQUEST_TIMEOUT}, and no more than
 * {@link #MAX_ANSWER} bytes of an answer are read. Every failure to get an answer is retryable.
 */
final class PurgeHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_ANSWER = 64 * 1024;

    /** An answer: its status and its body (at most {@link #MAX_ANSWER} bytes). */
    record Answer(int status, byte[] body) {
    }

    private PurgeHttp() {
    }

    /** A client for one purger: HTTP/1.1 (what an edge and the APIs all speak), no redirects followed. */
    static HttpClient client() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A request to {@code uri} whose answer must start within the request timeout. */
    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    }

    /**
     * Sends the request and reads its answer, bounded in time and size.
     *
     * @param what what the request does, for messages: {@code PURGE http://edge/media/a}
     */
    static Answer send(HttpClient client, HttpRequest request, String what) throws PurgeException {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request,
                HttpResponse.BodyHandlers.limiting(HttpResponse.BodyHandlers.ofByteArray(), MAX_ANSWER));
        try {
            HttpResponse<byte[]> response = exchange.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new PurgeException(what + ": no whole answer within " + REQUEST_TIMEOUT.toSeconds() + " s", true, e);
        } catch (ExecutionException e) {
            // an IOException: no connection, reset, timed out, or "body exceeds capacity" past MAX_ANSWER
            throw new PurgeException(what + " failed: " + e.getCause(), true, e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new PurgeException(what + " was interrupted", true, e);
        }
    }

    /** The start of a body for a message: printable, at most 300 characters. */
    static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?").strip();
    }
}
