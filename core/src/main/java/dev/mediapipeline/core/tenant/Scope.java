package dev.mediapipeline.core.tenant;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API key may do. {@code admin} may do everything, for every tenant; the others act only on
 * their own tenant's data.
 */
public enum Scope {
    /** the tus upload endpoint */
    UPLOAD,
    /** list, get and download the tenant's assets; batch downloads */
    READ,
    /** delete, restore, roll back the tenant's assets */
    WRITE,
    /** launch, stop, restart and recover jobs; schedules; the failure ledger; migrations; requeue */
    JOBS,
    /** tenants and keys, and every tenant's data */
    ADMIN;

    /** the scope's name in keys, requests and the database: lower case */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope of(String id) {
        for (Scope scope : values()) {
            if (scope.id().equals(id)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + id + "': scopes are " + Arrays.stream(values()).map(Scope::id).toList());
    }

    /** What a key with these scopes may do: admin implies every other scope. */
    public static Set<Scope> effective(Set<Scope> granted) {
        return granted.contains(ADMIN) ? EnumSet.allOf(Scope.class) : EnumSet.copyOf(granted);
    }
}
