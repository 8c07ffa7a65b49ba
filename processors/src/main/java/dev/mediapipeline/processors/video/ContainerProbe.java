package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What ffprobe reads from a container that is not MP4/MOV ({@code -show_format -show_streams -of
 * json}), before anything of it is decoded: enough to hold it to the budgets (duration, picture
 * size, number of streams) before a transcode is started.
 *
 * @param format          ffprobe's name for the demuxer that read it
 * @param durationSeconds the longest duration the container or any stream declares, NaN when none does
 *                        (a live WebM recording, for one, has no duration in its header)
 * @param declaredStreams the stream count in the format section, which may be more than the streams listed
 * @param streams         the streams, in the container's order
 */
public record ContainerProbe(String format, double durationSeconds, int declaredStreams, List<Stream> streams) {

    /**
     * One stream.
     *
     * @param type            {@code video}, {@code audio}, {@code subtitle}, {@code data}, {@code attachment}
     * @param attachedPicture a cover picture stored as a one-frame video stream, which is not the video
     */
    public record Stream(int index, String type, String codec, int width, int height, boolean attachedPicture) {
    }

    /** The streams that are moving pictures (cover pictures left out). */
    public List<Stream> videos() {
        return streams.stream().filter(s -> "video".equals(s.type()) && !s.attachedPicture()).toList();
    }

    /** The number of streams, listed or declared, whichever is more. */
    public int streamCount() {
        return Math.max(streams.size(), declaredStreams);
    }

    /** Jackson, with its default bounds on nesting and lengths; the report itself is capped at 1 MB before it is read. */
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** Reads ffprobe's JSON report. */
    static ContainerProbe parse(String json) throws IOException {
        Object parsed;
        try {
            parsed = JSON.readValue(json, Object.class);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException("the report is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IOException("the report is not a JSON object");
        }
        Map<?, ?> format = root.get("format") instanceof Map<?, ?> m ? m : Map.of();
        double duration = number(format.get("duration"));
        List<Stream> streams = new ArrayList<>();
        if (root.get("streams") instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> s)) {
                    throw new IOException("a stream in the report is not a JSON object");
                }
                double streamDuration = number(s.get("duration"));
                if (!Double.isNaN(streamDuration) && (Double.isNaN(duration) || streamDuration > duration)) {
                    duration = streamDuration;
                }
                boolean attached = s.get("disposition") instanceof Map<?, ?> d && number(d.get("attached_pic")) == 1;
                streams.add(new Stream(integer(s.get("index")), text(s.get("codec_type")), text(s.get("codec_name")),
                        integer(s.get("width")), integer(s.get("height")), attached));
            }
        }
        return new ContainerProbe(text(format.get("format_name")), duration, integer(format.get("nb_streams")), List.copyOf(streams));
    }

    /** A number as ffprobe writes it: a JSON number, or a string for durations ("7.600000"); NaN when absent or "N/A". */
    private static double number(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : Double.NaN;
        }
        if (value instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                return Double.isFinite(d) ? d : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A count or a size; 0 when absent; saturated, so that a huge value stays huge. */
    private static int integer(Object value) {
        double d = number(value);
        if (Double.isNaN(d) || d <= 0) {
            return 0;
        }
        return d >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) d;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }
}
