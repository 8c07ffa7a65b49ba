package dev.mediapipeline.core.scan;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Checks, before an ingest starts, that clamd never answers OK to what it did not scan. clamd
 * passes a file over its MaxFileSize or MaxScanSize unscanned, as OK, unless AlertExceedsMax is on;
 * a malware scanner that says clean to what it skipped is worse than none. Three streams go to it:
 * <ol>
 * <li>the EICAR test file: it must be found (the signatures are loaded);</li>
 * <li>{@code media.clamd.stream-max-length} bytes ending with the EICAR string: found, or refused as
 * over a limit; OK means clamd skipped what it was given;</li>
 * <li>one byte more: refused as over StreamMaxLength (or found, when clamd scans more than it was
 * said to); never OK.</li>
 * </ol>
 * A pass is recorded per clamd address, version and limit in {@code scanner_check} and holds for
 * {@code media.clamd.verify-interval} for every process on the database: streaming the limit costs
 * seconds (512 MB by default), so it is not paid by every start.
 */
public class ScannerLimitsCheck {

    private static final Logger log = LoggerFactory.getLogger(ScannerLimitsCheck.class);

    /** The EICAR test file: harmless, and found by every scanner (and by the project's own signatures). */
    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*".getBytes(StandardCharsets.US_ASCII);

    private final ClamdScanner scanner;
    private final ClamdProperties properties;
    private final JdbcClient jdbc;

    public ScannerLimitsCheck(ClamdScanner scanner, ClamdProperties properties, JdbcClient jdbc) {
        this.scanner = scanner;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    /**
     * Runs the check unless a recent pass of the same clamd is recorded.
     *
     * @throws ScannerMisconfiguredException when clamd answered OK to what it cannot have scanned
     * @throws ScannerUnavailableException   when clamd cannot be reached
     */
    public void verify() {
        if (!properties.verifyLimits()) {
            return;
        }
        String address = properties.host() + ":" + properties.port();
        String version = scanner.version();
        long limit = properties.streamMaxLength().toBytes();
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(properties.verifyInterval());
        boolean recent = jdbc.sql("""
                select exists (select 1 from scanner_check where address = ? and version = ? and stream_max_length = ? and checked_at > ?)""")
                .param(address).param(version).param(limit).param(since).query(Boolean.class).single();
        if (recent) {
            return;
        }
        Instant started = Instant.now();
        run(address, limit);
        jdbc.sql("""
                insert into scanner_check (address, version, stream_max_length, checked_at) values (?, ?, ?, now())
                on conflict (address, version, stream_max_length) do update set checked_at = excluded.checked_at""")
                .param(address).param(version).param(limit).update();
        log.info("clamd at {} ({}) refuses or finds what it is given up to and over {} bytes: checked in {} s", address, version, limit,
                Duration.between(started, Instant.now()).toSeconds());
    }

    /** The three streams, without the record. */
    void run(String address, long limit) {
        if (!(scanner.scan(new java.io.ByteArrayInputStream(EICAR)) instanceof ScanVerdict.Infected)) {
            throw new ScannerMisconfiguredException("clamd at " + address + " answered OK to the EICAR test file: its signatures are "
                    + "not loaded, so it cannot find anything");
        }
        for (long size : new long[] {limit, limit + 1}) {
            ScanVerdict verdict;
            try {
                verdict = scanner.scan(endingWithEicar(size));
            } catch (ScanLimitExceededException refused) {
                continue; // over a limit, and said so: what an upload of that size would get
            }
            if (verdict instanceof ScanVerdict.Clean) {
                throw new ScannerMisconfiguredException("clamd at " + address + " answered OK to a stream of " + size + " bytes ending with "
                        + "the EICAR test string: it passes content it did not scan (its MaxFileSize or MaxScanSize is below "
                        + "media.clamd.stream-max-length, " + limit + " bytes, and AlertExceedsMax is off). Set AlertExceedsMax yes in "
                        + "clamd.conf, or MaxFileSize and MaxScanSize at least StreamMaxLength, and media.clamd.stream-max-length to its "
                        + "StreamMaxLength");
            }
        }
    }

    /** {@code size} bytes, zeros and then the EICAR string, made as they are read. */
    static InputStream endingWithEicar(long size) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(length, size - position);
                long tail = size - EICAR.length;
                for (int i = 0; i < n; i++) {
                    long at = position + i;
                    buffer[offset + i] = at >= tail && at >= 0 ? EICAR[(int) (at - tail)] : 0;
                }
                position += n;
                return n;
            }
        };
    }
}
