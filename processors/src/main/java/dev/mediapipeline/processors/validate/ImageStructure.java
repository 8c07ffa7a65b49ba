package dev.mediapipeline.processors.validate;

import dev.mediapipeline.core.media.ImageFormat;

/**
 * What a structural walk of an image file found, without decoding pixels.
 *
 * @param end the offset just past the image's last structure: anything after it is not the image
 */
record ImageStructure(ImageFormat format, int width, int height, int frames, long end) {
}
