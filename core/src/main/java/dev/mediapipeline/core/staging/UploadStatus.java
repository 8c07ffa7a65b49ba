package dev.mediapipeline.core.staging;

public enum UploadStatus {
    /** bytes are still arriving */
    IN_PROGRESS,
    /** every byte arrived; waiting for ingestion */
    COMPLETE
}
