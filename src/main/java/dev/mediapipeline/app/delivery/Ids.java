package dev.mediapipeline.app.delivery;

import java.util.Optional;
import java.util.UUID;

/**
 * Ids in delivery paths have one spelling, the canonical lower-case form: any other (upper case, a
 * short group) is no id at all. One URL per object keeps caches from being split or bypassed, and the
 * edge's log names the same asset the origin does (usage statistics).
 */
final class Ids {

    private Ids() {
    }

    static Optional<UUID> canonical(String id) {
        try {
            UUID parsed = UUID.fromString(id);
            return parsed.toString().equals(id) ? Optional.of(parsed) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
