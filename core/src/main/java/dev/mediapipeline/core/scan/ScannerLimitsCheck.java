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
 * a malware scanner that says clean to what it skipped is worse than none. The scanner itself never
 * sends clamd more than {@code media.clamd.stream-max-length} (larger content is refused as over a
 * limit), so two streams settle it:
 * <ol>
 * <li>the EICAR test file: it must be found (the signatures are loaded);</li>
 * <li>a ZIP of exactly {@code media.clamd.stream-max-length} bytes: a stored member of zeros, then
 * the EICAR test file as its last member. clamd must find it, or refuse the stream as over a
 * limit; OK means it skipped what it was given (MaxFileSize or MaxScanSize below the stream limit,
 * AlertExceedsMax off). A ZIP, because a production database knows EICAR by the hash of the whole
 * 68-byte file, which clamd computes for each member it unpacks.</li>
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
        if (scanner == null) {
            throw new ScannerMisconfiguredException("the limits check speaks to clamd, and the scanner is not clamd: "
                    + "set media.clamd.verify-limits=false to run without it");
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

    /** The two streams, without the record. */
    void run(String address, long limit) {
        if (!(scanner.scan(new java.io.ByteArrayInputStream(EICAR)) instanceof ScanVerdict.Infected)) {
            throw new ScannerMisconfiguredException("clamd at " + address + " answered OK to the EICAR test file: its signatures are "
                    + "not loaded, so it cannot find anything");
        }
        ScanVerdict verdict;
        try {
            verdict = scanner.scan(zipEndingWithEicar(limit));
        } catch (ScanLimitExceededException refused) {
            return; // over a limit, and said so: what an upload of that size would get
        }
        if (verdict instanceof ScanVerdict.Clean) {
            throw new ScannerMisconfiguredException("clamd at " + address + " answered OK to a ZIP of " + limit + " bytes whose last "
                    + "member is the EICAR test file: it passes content it did not scan (its MaxFileSize or MaxScanSize is below "
                    + "media.clamd.stream-max-length, " + limit + " bytes, and AlertExceedsMax is off). Set AlertExceedsMax yes in "
                    + "clamd.conf, or MaxFileSize and MaxScanSize at least StreamMaxLength, and media.clamd.stream-max-length to its "
                    + "StreamMaxLength");
        }
    }

    /**
     * A ZIP of exactly {@code size} bytes (at least 282, at most 4 GiB): a stored member
     * {@code padding.bin} of zeros, then a stored member {@code eicar.com}, made as it is read.
     */
    static InputStream zipEndingWithEicar(long size) {
        byte[] padName = "padding.bin".getBytes(StandardCharsets.US_ASCII);
        byte[] eicarName = "eicar.com".getBytes(StandardCharsets.US_ASCII);
        long overhead = 30 + padName.length + 30 + eicarName.length + EICAR.length + 46 + padName.length + 46 + eicarName.length + 22;
        long padding = size - overhead;
        if (padding < 0 || padding > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("a probe ZIP of " + size + " bytes cannot be made");
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] zeros = new byte[1 << 20];
        for (long left = padding; left > 0; left -= zeros.length) {
            crc.update(zeros, 0, (int) Math.min(zeros.length, left));
        }
        long padCrc = crc.getValue();
        crc.reset();
        crc.update(EICAR);
        long eicarCrc = crc.getValue();
        long eicarOffset = 30 + padName.length + padding;
        long centralOffset = eicarOffset + 30 + eicarName.length + EICAR.length;
        java.nio.ByteBuffer head = local(padName, padCrc, padding);
        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) (overhead - head.capacity())).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tail.put(local(eicarName, eicarCrc, EICAR.length).array()).put(EICAR);
        tail.put(central(padName, padCrc, padding, 0)).put(central(eicarName, eicarCrc, EICAR.length, eicarOffset));
        tail.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 2).putShort((short) 2)
                .putInt((int) (size - 22 - centralOffset)).putInt((int) centralOffset).putShort((short) 0);
        return new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new java.io.ByteArrayInputStream(head.array()), zeros(padding), new java.io.ByteArrayInputStream(tail.array()))));
    }

    private static java.nio.ByteBuffer local(byte[] name, long crc, long length) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(30 + name.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0x21)
                .putInt((int) crc).putInt((int) length).putInt((int) length).putShort((short) name.length).putShort((short) 0).put(name);
        return b;
    }

    private static byte[] central(byte[] name, long crc, long length, long offset) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(46 + name.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02014b50).putShort((short) 10).putShort((short) 10).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0x21).putInt((int) crc).putInt((int) length).putInt((int) length).putShort((short) name.length)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name);
        return b.array();
    }

    private static InputStream zeros(long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
