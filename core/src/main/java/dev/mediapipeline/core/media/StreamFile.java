package dev.mediapipeline.core.media;

import java.nio.file.Path;

/**
 * One file of a packaged stream (a playlist, a manifest, an init or media segment).
 *
 * @param path         where it goes below the stream's prefix; playlists refer to each other by these
 *                     relative paths, so the stream works wherever the prefix is served from
 * @param cacheControl the Cache-Control header it is published with
 */
public record StreamFile(String path, Path file, long size, String contentType, String cacheControl) {
}
