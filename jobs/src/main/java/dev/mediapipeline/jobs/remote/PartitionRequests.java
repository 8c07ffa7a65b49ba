package dev.mediapipeline.jobs.remote;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Batch's {@link StepExecutionRequest} as the JSON the broker carries:
 * {@code {"stepName":"ingestPartition","stepExecutionId":42}}. Not Java serialization, whose form of the
 * request changed between Batch versions; a message over {@link #MAX_LENGTH} characters is refused
 * before it is parsed.
 */
final class PartitionRequests {

    static final int MAX_LENGTH = 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PartitionRequests() {
    }

    static String toJson(StepExecutionRequest request) {
        return JSON.writeValueAsString(java.util.Map.of("stepName", request.getStepName(), "stepExecutionId", request.getStepExecutionId()));
    }

    /** @throws IllegalArgumentException for anything but such a request */
    static StepExecutionRequest fromJson(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not a partition request: " + (text == null ? "no body" : text.length() + " characters"));
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a partition request: " + e.getMessage());
        }
        JsonNode step = node.get("stepName");
        JsonNode id = node.get("stepExecutionId");
        if (step == null || !step.isString() || !step.asString().matches("[A-Za-z][A-Za-z0-9]{0,99}") || id == null || !id.canConvertToLong()
                || id.asLong() <= 0) {
            throw new IllegalArgumentException("not a partition request: " + text);
        }
        return new StepExecutionRequest(step.asString(), id.asLong());
    }
}
