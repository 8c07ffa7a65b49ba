package dev.mediapipeline.core.media;

/** A file the virus scanner read completely and found clean, with the engine and signature version that said so. */
public record ScannedFile(AssembledFile file, String scanEngine) {
}
