package dev.mediapipeline.jobs.control;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The one place a job states the parameters it takes: each by name, kind, whether it is required and
 * whether it identifies the instance. Launches from REST, Quartz and the command line are checked
 * against it by {@link JobControl}; values are parsed by their declared kind and nothing else, so a
 * value can never name a type to instantiate (Spring Batch's {@code value,type} notation is refused).
 *
 * @param job             the job's name
 * @param parameters      what it takes
 * @param tenantLaunchable whether a tenant's {@code jobs} key may launch it directly (scoped to its own
 *                        tenant through {@link #TENANT}); otherwise only an admin key, or the application
 *                        on a tenant's behalf
 */
public record JobDeclaration(String job, List<Parameter> parameters, boolean tenantLaunchable) {

    /** The tenant whose data a launch touches (a tenant id); absent: every tenant's. Identifying. */
    public static final String TENANT = "tenant";
    /** Free text that names a run, so that a new instance can be launched by hand. Identifying. */
    public static final String RUN = "run";
    /** The business date of a scheduled launch. Identifying. */
    public static final String BUSINESS_DATE = "businessDate";
    /** The schedule that launched it. Not identifying. */
    public static final String SCHEDULE = "schedule";

    private static final Pattern TYPE_SUFFIX =
            Pattern.compile(",\\s*[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+\\s*(,\\s*(true|false)\\s*)?$");
    private static final int MAX_VALUE_LENGTH = 500;

    public JobDeclaration {
        parameters = List.copyOf(parameters);
        if (parameters.stream().map(Parameter::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException(job + " declares a parameter twice");
        }
    }

    /** The parameters every launchable job takes: run, businessDate, schedule and tenant. */
    public static List<Parameter> common() {
        return List.of(
                Parameter.optional(RUN, Kind.TEXT, true),
                Parameter.optional(BUSINESS_DATE, Kind.DATE, true),
                Parameter.optional(SCHEDULE, Kind.TEXT, false),
                Parameter.optional(TENANT, Kind.UUID, true));
    }

    public boolean takesTenant() {
        return parameter(TENANT).isPresent();
    }

    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Typed job parameters from text values, each parsed by its declared kind.
     *
     * @throws IllegalArgumentException naming the first value that is not acceptable
     */
    public JobParameters parse(Map<String, String> values) {
        rejectTypeSuffixes(values);
        var builder = new org.springframework.batch.core.job.parameters.JobParametersBuilder();
        for (Map.Entry<String, String> entry : new java.util.TreeMap<>(values).entrySet()) {
            Parameter parameter = parameter(entry.getKey()).orElseThrow(() -> unknown(entry.getKey()));
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "' has no value");
            }
            String value = entry.getValue().strip();
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "' is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            parameter.kind().check(parameter.name(), value);
            if (parameter.kind() == Kind.UUID) {
                value = value.toLowerCase(java.util.Locale.ROOT); // one spelling, so that one tenant is one instance
            }
            if (parameter.kind() == Kind.DATE) {
                builder.addLocalDate(parameter.name(), LocalDate.parse(value), parameter.identifying());
            } else {
                builder.addString(parameter.name(), value, parameter.identifying());
            }
        }
        JobParameters parameters = builder.toJobParameters();
        check(parameters);
        return parameters;
    }

    /**
     * Checks typed parameters (a schedule's, the command line's) against the declaration: every name
     * declared, of its declared type and identifying flag, every required one present.
     */
    public void check(JobParameters parameters) {
        for (JobParameter<?> given : parameters) {
            Parameter parameter = parameter(given.name()).orElseThrow(() -> unknown(given.name()));
            Class<?> expected = parameter.kind() == Kind.DATE ? LocalDate.class : String.class;
            if (!expected.equals(given.type())) {
                throw new IllegalArgumentException("parameter '" + given.name() + "' must be " + parameter.kind().describe());
            }
            if (given.identifying() != parameter.identifying()) {
                throw new IllegalArgumentException("parameter '" + given.name() + "' must " + (parameter.identifying() ? "" : "not ")
                        + "identify the job instance");
            }
            if (parameter.kind() != Kind.DATE) {
                parameter.kind().check(parameter.name(), (String) given.value());
            }
            if (parameter.kind() == Kind.UUID && !given.value().equals(((String) given.value()).toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("parameter '" + given.name() + "' must be a UUID in lower case");
            }
        }
        for (Parameter parameter : parameters()) {
            if (parameter.required() && parameters.getParameter(parameter.name()) == null) {
                throw new IllegalArgumentException(job + " needs parameter '" + parameter.name() + "' (" + parameter.kind().describe() + ")");
            }
        }
    }

    /** Spring Batch's {@code value,fully.qualified.Type[,identifying]} notation, refused wherever it appears. */
    static void rejectTypeSuffixes(Map<String, String> values) {
        if (values.size() > 50) {
            throw new IllegalArgumentException("at most 50 parameters");
        }
        values.forEach((name, value) -> {
            if (name.length() > 100) {
                throw new IllegalArgumentException("parameter names are at most 100 characters");
            }
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("parameter '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            if (value != null && TYPE_SUFFIX.matcher(value).find()) {
                throw new IllegalArgumentException("parameter '" + name + "' names a type (\"" + abbreviate(value)
                        + "\"): parameters are plain values, typed by the job's declaration");
            }
        });
    }

    private IllegalArgumentException unknown(String name) {
        Map<String, String> known = new LinkedHashMap<>();
        parameters.forEach(p -> known.put(p.name(), p.kind().describe()));
        return new IllegalArgumentException(job + " takes no parameter '" + abbreviate(name) + "'; it takes " + known);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    public record Parameter(String name, Kind kind, boolean required, boolean identifying) {

        public static Parameter required(String name, Kind kind) {
            return new Parameter(name, kind, true, true);
        }

        public static Parameter optional(String name, Kind kind, boolean identifying) {
            return new Parameter(name, kind, false, identifying);
        }
    }

    /** How a value is read. Only {@link #DATE} is stored as a date; everything else as the text given. */
    public enum Kind {
        /** printable text, no control characters */
        TEXT("text", v -> v.codePoints().noneMatch(Character::isISOControl)),
        DATE("an ISO date such as 2026-11-24", v -> parses(() -> LocalDate.parse(v))),
        INSTANT("an ISO instant such as 2026-11-01T00:00:00Z", v -> parses(() -> Instant.parse(v))),
        UUID("a UUID", v -> v.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")),
        INTEGER("a whole number", v -> v.matches("-?[0-9]{1,9}")),
        BOOLEAN("true or false", v -> v.equals("true") || v.equals("false")),
        /** whole numbers separated by commas */
        INTEGERS("whole numbers separated by commas", v -> v.matches("[0-9]{1,9}(\\s*,\\s*[0-9]{1,9})*"));

        private final String description;
        private final Predicate<String> valid;

        Kind(String description, Predicate<String> valid) {
            this.description = description;
            this.valid = valid;
        }

        public String describe() {
            return description;
        }

        void check(String name, String value) {
            if (!valid.test(value)) {
                throw new IllegalArgumentException("parameter '" + name + "' must be " + description + ", not \"" + abbreviate(value) + "\"");
            }
        }

        private static boolean parses(Runnable parse) {
            try {
                parse.run();
                return true;
            } catch (DateTimeParseException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** The tenant a launch is scoped to, or null when it takes every tenant's data. */
    public static UUID tenantOf(JobParameters parameters) {
        String tenant = parameters.getString(TENANT);
        return tenant == null || tenant.isBlank() ? null : UUID.fromString(tenant);
    }
}
