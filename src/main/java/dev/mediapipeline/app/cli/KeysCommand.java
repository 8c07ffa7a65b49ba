package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.tenant.ApiKey;
import dev.mediapipeline.core.tenant.Scope;
import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code media keys create --tenant NAME --scopes upload,read [--expires ISO-INSTANT] [--name TEXT]},
 * {@code media keys list --tenant NAME}, {@code media keys revoke KEY-ID}: the admin API's key calls,
 * from the command line on the configured database (the embedded one by default). A tenant named
 * by {@code create} is made when missing. The key is printed once and stored only as a hash.
 */
@Component
public class KeysCommand {

    private final Tenants tenants;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    public KeysCommand(Tenants tenants) {
        this.tenants = tenants;
    }

    public static final String USAGE = """
            usage: media keys create --tenant NAME --scopes upload,read[,write,jobs,admin] [--expires 2027-01-01T00:00:00Z] [--name TEXT]
                   media keys list --tenant NAME
                   media keys revoke KEY-ID""";

    /** @return the exit status: 0 done, 2 a usage error */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            return usage(null);
        }
        try {
            return switch (args.getFirst()) {
                case "create" -> create(args.subList(1, args.size()));
                case "list" -> list(args.subList(1, args.size()));
                case "revoke" -> revoke(args.subList(1, args.size()));
                default -> usage("unknown keys command '" + args.getFirst() + "'");
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return usage(e.getMessage());
        }
    }

    private int create(List<String> args) {
        String tenantName = option(args, "--tenant");
        String scopesText = option(args, "--scopes");
        if (tenantName == null || scopesText == null) {
            return usage("create needs --tenant and --scopes");
        }
        if (!Tenants.validName(tenantName)) {
            return usage("'" + tenantName + "' is not a tenant name (1 to 63 of a-z, 0-9, '.', '_', '-')");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : scopesText.split(",")) {
            scopes.add(Scope.of(scope.strip()));
        }
        String expires = option(args, "--expires");
        Tenant tenant = tenants.findOrCreate(tenantName);
        Tenants.NewKey made = tenants.createKey(tenant.id(), scopes, expires == null ? null : Instant.parse(expires),
                option(args, "--name"), null);
        out.println(made.secret());
        err.printf("key %s for tenant %s (%s), scopes %s%s: shown this once, stored only as a hash%n", made.key().id(), tenant.name(),
                tenant.id(), scopesText, expires == null ? "" : ", expires " + expires);
        return 0;
    }

    private int list(List<String> args) {
        String tenantName = option(args, "--tenant");
        if (tenantName == null) {
            return usage("list needs --tenant");
        }
        Tenant tenant = tenants.findByName(tenantName).orElseThrow(() -> new IllegalArgumentException("no tenant '" + tenantName + "'"));
        out.printf("%-36s  %-12s  %-28s  %-20s  %-20s  %s%n", "id", "prefix", "scopes", "expires", "revoked", "last used");
        for (ApiKey key : tenants.keys(tenant.id())) {
            out.printf("%-36s  %-12s  %-28s  %-20s  %-20s  %s%n", key.id(), key.prefix(),
                    String.join(",", key.scopes().stream().map(Scope::id).sorted().toList()), text(key.expiresAt()),
                    text(key.revokedAt()), text(key.lastUsedAt()));
        }
        return 0;
    }

    private int revoke(List<String> args) {
        if (args.size() != 1) {
            return usage("revoke takes one key id");
        }
        UUID id = UUID.fromString(args.getFirst());
        if (!tenants.revoke(id)) {
            err.println("no key " + id);
            return 1;
        }
        err.println("revoked key " + id);
        return 0;
    }

    private static String option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String text(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    private int usage(String problem) {
        if (problem != null) {
            err.println("media keys: " + problem);
        }
        err.println(USAGE);
        return 2;
    }
}
