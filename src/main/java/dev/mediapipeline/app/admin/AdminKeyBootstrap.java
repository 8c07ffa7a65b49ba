package dev.mediapipeline.app.admin;

import dev.mediapipeline.app.security.AccessProperties;
import dev.mediapipeline.core.config.MediaProperties;
import dev.mediapipeline.core.tenant.Scope;
import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first admin key. With {@code media.security.admin-key} (or {@code MEDIA_ADMIN_KEY}) set, that is
 * the admin key and nothing is made. Otherwise the first start of a server on a database (one that
 * never made one, and holds no active admin key) makes an admin key of the tenant {@code default} and
 * writes it to {@code <media.home>/admin.key} (mode 0600); the log says where, never the key. It is
 * made once: revoking every admin key is not undone by a restart. Command-line runs make none.
 */
@Component
@ConditionalOnWebApplication
class AdminKeyBootstrap implements ApplicationRunner {

    static final String FILE = "admin.key";
    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

    private final AccessProperties access;
    private final Tenants tenants;
    private final MediaProperties media;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;

    AdminKeyBootstrap(AccessProperties access, Tenants tenants, MediaProperties media, TransactionTemplate transactions, JdbcClient jdbc) {
        this.access = access;
        this.tenants = tenants;
        this.media = media;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (access.adminKey() != null) {
            log.info("admin key: the one configured (media.security.admin-key)");
            return;
        }
        Path file = media.home().resolve(FILE);
        String made = transactions.execute(tx -> {
            // several instances starting on one database make one key between them, once
            jdbc.sql("select pg_advisory_xact_lock(hashtext('media-pipeline admin key bootstrap'))").query().listOfRows();
            if (jdbc.sql("select exists (select 1 from security_bootstrap)").query(Boolean.class).single()) {
                return null;
            }
            if (tenants.hasActiveAdminKey()) {
                // made beforehand (./media keys create ... --scopes admin): nothing to make
                jdbc.sql("insert into security_bootstrap (id) values (1)").update();
                return null;
            }
            Tenants.NewKey key = tenants.createKey(Tenant.DEFAULT_ID, Set.of(Scope.ADMIN), null, "first-start admin key", null);
            jdbc.sql("insert into security_bootstrap (id, admin_key_id) values (1, ?)").param(key.key().id()).update();
            return key.secret();
        });
        if (made != null) {
            // written once the key is stored, so that the file never holds a key the database lacks
            try {
                write(file, made);
                log.warn("made the first admin key (tenant default) and wrote it to {} (mode 0600): keep it somewhere safe "
                        + "and delete the file; the README shows how to use it", file);
            } catch (UncheckedIOException e) {
                log.error("made the first admin key but could not write it to {} ({}): make another with "
                        + "./media keys create --tenant default --scopes admin", file, e.getCause().toString());
            }
        } else if (Files.exists(file)) {
            log.info("admin key: see {} (made at the first start)", file);
        }
    }

    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Path temp;
            try {
                temp = Files.createTempFile(file.getParent(), ".admin-key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                temp = Files.createTempFile(file.getParent(), ".admin-key", ".tmp");
                temp.toFile().setReadable(false, false);
                temp.toFile().setReadable(true, true);
                temp.toFile().setWritable(false, false);
                temp.toFile().setWritable(true, true);
            }
            Files.writeString(temp, key + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file, e);
        }
    }
}
