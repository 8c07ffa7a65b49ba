package dev.mediapipeline.jobs.migration;

import dev.mediapipeline.core.media.RenditionProfile;
import dev.mediapipeline.core.migration.MigrationSelection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The re-processing migration's parameters, all optional strings. Selection: {@code createdBefore},
 * {@code createdAfter} (ISO instants), {@code missingFormat}, {@code toolsWithout},
 * {@code profileHashNot}. The new profile: the configured one with any of {@code widths} (comma
 * separated), {@code fit}, {@code jpegQuality}, {@code webpQuality} changed. {@code dryRun=true}
 * reports without writing. Checked when the job is launched, so a bad value is refused up front.
 */
record MigrationParameters(MigrationSelection selection, RenditionProfile profile, boolean dryRun) {

    private static final Set<String> FORMATS = Set.of("jpeg", "png", "webp", "avif");

    static MigrationParameters of(JobParameters parameters, RenditionProfile configured) {
        RenditionProfile profile = new RenditionProfile(
                text(parameters, "widths") == null ? configured.widths() : widths(text(parameters, "widths")),
                text(parameters, "fit") == null ? configured.fit() : fit(text(parameters, "fit")),
                configured.coverAspect(),
                quality(parameters, "jpegQuality", configured.jpegQuality()),
                quality(parameters, "webpQuality", configured.webpQuality()),
                configured.webpMethod());
        String format = text(parameters, "missingFormat");
        if (format != null && !FORMATS.contains(format)) {
            throw new IllegalArgumentException("missingFormat must be one of " + FORMATS + ", not '" + format + "'");
        }
        MigrationSelection selection = new MigrationSelection(text(parameters, "profileHashNot"),
                instant(parameters, "createdBefore"), instant(parameters, "createdAfter"), format,
                text(parameters, "toolsWithout"), tenant(parameters)).withProfileDefault(profile.hash());
        return new MigrationParameters(selection, profile, "true".equalsIgnoreCase(text(parameters, "dryRun")));
    }

    static JobParametersValidator validator(RenditionProfile configured) {
        return parameters -> {
            try {
                of(parameters, configured);
            } catch (IllegalArgumentException e) {
                throw new InvalidJobParametersException("assetMigration: " + e.getMessage());
            }
        };
    }

    private static java.util.UUID tenant(JobParameters parameters) {
        String text = text(parameters, dev.mediapipeline.jobs.control.JobDeclaration.TENANT);
        return text == null ? null : java.util.UUID.fromString(text);
    }

    private static String text(JobParameters parameters, String name) {
        var parameter = parameters.getParameter(name);
        if (parameter == null) {
            return null;
        }
        String value = String.valueOf(parameter.value()).strip();
        return value.isEmpty() ? null : value;
    }

    private static List<Integer> widths(String text) {
        try {
            List<Integer> widths = Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
            if (widths.isEmpty() || widths.size() > 8) {
                throw new IllegalArgumentException("widths takes 1 to 8 widths, not " + widths.size());
            }
            if (widths.stream().anyMatch(w -> w < 16 || w > 16384)) {
                throw new IllegalArgumentException("widths must be 16 to 16384, not " + text);
            }
            return widths;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("widths must be numbers separated by commas, not '" + text + "'");
        }
    }

    private static RenditionProfile.Fit fit(String text) {
        try {
            return RenditionProfile.Fit.valueOf(text.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fit must be CONTAIN or COVER, not '" + text + "'");
        }
    }

    private static int quality(JobParameters parameters, String name, int otherwise) {
        String text = text(parameters, name);
        if (text == null) {
            return otherwise;
        }
        try {
            int quality = Integer.parseInt(text);
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException(name + " must be 1 to 100, not " + quality);
            }
            return quality;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
        }
    }

    private static Instant instant(JobParameters parameters, String name) {
        String text = text(parameters, name);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO instant such as 2026-11-01T00:00:00Z, not '" + text + "'");
        }
    }
}
