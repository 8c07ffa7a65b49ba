/**
 * The error taxonomy. {@link dev.mediapipeline.core.error.RejectedException rejected}: the item is
 * bad, record it and go on. {@link dev.mediapipeline.core.error.TransientException transient}: a
 * service fault, retry with backoff. Anything else is fatal: a bug or a misconfiguration that stops
 * the job so it can be fixed and restarted.
 */
package dev.mediapipeline.core.error;
