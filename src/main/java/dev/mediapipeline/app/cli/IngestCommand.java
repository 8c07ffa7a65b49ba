package dev.mediapipeline.app.cli;

import dev.mediapipeline.core.staging.StagingService;
import dev.mediapipeline.core.tenant.Tenant;
import dev.mediapipeline.core.tenant.Tenants;
import dev.mediapipeline.core.staging.Upload;
import dev.mediapipeline.core.staging.UploadMetadata;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.input.BoundedInputStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * {@code media ingest <folder>}: stages every file under a folder through the upload path, in
 * chunks each verified by its sha256, exactly as a tus client's PATCHes are, then runs the ingest
 * job over everything staged and prints its summary: the counts, then every file it refused by name
 * with the reason (an infected one with its signature and quarantine key), then every item that
 * failed. Hidden files are skipped. The exit status is in {@link #USAGE}: a refused file does not
 * make it non-zero, since refusing hostile or broken files is the job doing its work; a job that
 * failed or was stopped does.
 */
@Component
public class IngestCommand {

    public static final String USAGE = """
            usage: media ingest FOLDER [--tenant NAME]
              stages every file of FOLDER (hidden ones skipped), runs the ingest job over them and reports:
              the counts, every refused file by name with its reason (infected ones with the signature and
              the quarantine key), every failed item
            exit status: 0  the job completed, whether or not it refused files (they are listed)
                         1  the job failed or was stopped (its failure is printed), or a file could not be staged
                         2  a usage error: FOLDER is not a folder, NAME is not a tenant name""";

    private final StagingService staging;
    private final IngestRun ingest;
    private final Tenants tenants;
    private final String tenantName;
    private final long chunkSize;
    private final PrintStream out;

    public IngestCommand(StagingService staging, IngestRun ingest, Tenants tenants,
            @Value("${media.cli.chunk-size:8MB}") DataSize chunkSize, @Value("${media.cli.tenant:default}") String tenantName) {
        this.staging = staging;
        this.ingest = ingest;
        this.tenants = tenants;
        this.tenantName = tenantName;
        this.chunkSize = chunkSize.toBytes();
        this.out = System.out;
    }

    /**
     * Stages the folder under the tenant ({@code --tenant}, made when missing; {@code default} unless
     * said), then runs the ingest job over that tenant's staged uploads.
     *
     * @return 0 when the job completed (with refusals or not), 1 when it failed or stopped or a file
     *         could not be staged, 2 on a usage error (see {@link #USAGE})
     */
    public int run(Path folder) {
        int staged = stage(folder);
        if (staged == 2) {
            return staged;
        }
        int job = ingest.run(out, tenant().id());
        return staged != 0 ? staged : job;
    }

    /** @return 0 when every file was staged, 1 when some failed, 2 when the folder is not one */
    public int stage(Path folder) {
        if (!Files.isDirectory(folder)) {
            System.err.println("media ingest: not a folder: " + Lines.name(folder.toString()));
            System.err.println(USAGE);
            return 2;
        }
        if (!Tenants.validName(tenantName)) {
            System.err.println("media ingest: --tenant: '" + Lines.name(tenantName)
                    + "' is not a tenant name (1 to 63 of a-z, 0-9, '.', '_', '-')");
            System.err.println(USAGE);
            return 2;
        }
        List<Path> files = list(folder);
        long started = System.nanoTime();
        long bytes = 0;
        int failed = 0;
        out.printf("staging %d files from %s for tenant %s%n", files.size(), Lines.name(folder.toAbsolutePath().toString()), tenantName);
        for (Path file : files) {
            // a file's name may hold terminal escapes or bidi overrides: printed as the report prints it
            String name = Lines.name(folder.relativize(file).toString());
            try {
                Upload upload = stage(folder, file);
                bytes += upload.length();
                out.printf("  staged %-60s %12d bytes  upload %s%n", name, upload.length(), upload.id());
            } catch (RuntimeException | IOException e) {
                failed++;
                out.printf("  FAILED %-60s %s%n", name, Lines.message(e.getMessage()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("staged %d of %d files, %.1f MB in %.1f s (%.1f MB/s)%s%n", files.size() - failed, files.size(),
                bytes / 1e6, seconds, seconds > 0 ? bytes / 1e6 / seconds : 0, failed > 0 ? ", " + failed + " failed" : "");
        return failed == 0 ? 0 : 1;
    }

    Upload stage(Path folder, Path file) throws IOException {
        long size = Files.size(file);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filename", file.getFileName().toString());
        metadata.put("relativePath", folder.relativize(file).toString());
        Upload upload = staging.create(tenant().id(), size, UploadMetadata.format(metadata));
        long offset = 0;
        while (offset < size) {
            long length = Math.min(chunkSize, size - offset);
            byte[] sha256 = sha256(file, offset, length);
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                upload = staging.append(upload.id(), offset, bounded(in, length), length, sha256);
            }
            offset = upload.offset();
        }
        return upload;
    }

    /** The tenant the staged files are filed under. */
    String tenantName() {
        return tenantName;
    }

    private Tenant tenant() {
        if (!Tenants.validName(tenantName)) {
            throw new IllegalArgumentException("--tenant: '" + tenantName + "' is not a tenant name (a-z, 0-9, '.', '_', '-')");
        }
        return tenants.findOrCreate(tenantName);
    }

    private static byte[] sha256(Path file, long offset, long length) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = bounded(Files.newInputStream(file), offset + length)) {
            in.skipNBytes(offset);
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !hidden(folder.relativize(p))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream bounded(InputStream in, long limit) throws IOException {
        return BoundedInputStream.builder().setInputStream(in).setMaxCount(limit).get();
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
