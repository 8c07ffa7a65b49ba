/**
 * The error taxonomy. {@link dev.mediapipeline.core.error.RejectedException rejected}: the item is
 * bad, record it and go on. {@link dev.mediapipeline.core.error.ItemFailedException failed}: processing
 * one item threw (a decoder, an encoder, ffmpeg, the heap): set aside like a rejection, as
 * {@code failed:<class>}, and the job goes on. {@link dev.mediapipeline.core.error.TransientException
 * transient}: a service fault, retry with backoff; when the retries run out, the step fails and a
 * restart goes on. A failure while writing is fatal to the step: the store or the database is at fault,
 * not the item.
 */
package dev.mediapipeline.core.error;
