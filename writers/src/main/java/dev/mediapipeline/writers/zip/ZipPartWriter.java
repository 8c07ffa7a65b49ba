package dev.mediapipeline.writers.zip;

import dev.mediapipeline.core.download.DownloadBatch;
import dev.mediapipeline.core.download.DownloadBatch.Entry;
import dev.mediapipeline.core.download.DownloadBatch.Part;
import dev.mediapipeline.core.download.DownloadBatch.WrittenEntry;
import dev.mediapipeline.core.storage.ObjectStore;
import dev.mediapipeline.core.storage.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes the next part of a download's ZIP archive: whole members from the first one no recorded
 * part holds, until the part reaches its size (every part but the last at least 5 MiB, as S3
 * requires), then the central directory after the last member. The part is built in a temporary
 * file (never in memory), uploaded as the next part number, and recorded with its members' CRCs
 * and offsets in the caller's transaction. The archive's bytes depend only on the frozen entries,
 * so a part made again after a crash is the same part.
 *
 * <p>A failure here (a member that cannot be read whole, which is a
 * {@link dev.mediapipeline.core.error.TransientException}; the upload of the part; the temp disk)
 * deliberately leaves the multipart upload open, not aborted: its id and its recorded parts are the
 * download's checkpoint, and a retry or a restart of the job uploads this part number again into the
 * same upload. An upload is abandoned only when nothing will resume it, and the bucket's lifecycle
 * rule aborts it then ({@code media.s3.lifecycle.abort-incomplete-uploads-after}).
 */
public class ZipPartWriter {

    public static final long MIN_PART = 5L * 1024 * 1024;

    private final DownloadBatch batch;
    private final ObjectStore store;
    private final Path tempDirectory;
    private final long partSize;

    public ZipPartWriter(DownloadBatch batch, ObjectStore store, Path tempDirectory, long partSize) {
        if (partSize < MIN_PART) {
            throw new IllegalArgumentException("a multipart upload's parts are at least 5 MiB, not " + partSize);
        }
        this.batch = batch;
        this.store = store;
        this.tempDirectory = tempDirectory;
        this.partSize = partSize;
    }

    /** Writes and records the next part; returns it (its {@code last} says the archive is whole). */
    public Part writeNext(DownloadBatch.Download download, LocalDateTime stamp) throws IOException {
        UUID id = download.id();
        Part previous = batch.lastPart(id).orElse(null);
        if (previous != null && previous.last()) {
            return previous;
        }
        int partNumber = previous == null ? 1 : previous.number() + 1;
        int next = previous == null ? 0 : previous.nextEntry();
        long start = previous == null ? 0 : previous.endOffset();
        int total = batch.entries(id);
        Files.createDirectories(tempDirectory);
        Path file = Files.createTempFile(tempDirectory, "download-" + id + "-part" + partNumber + "-", ".zip");
        try {
            List<WrittenEntry> written = new ArrayList<>();
            long position = 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (next < total && position < partSize) {
                    for (Entry entry : batch.entries(id, next, 64)) {
                        if (position >= partSize) {
                            break;
                        }
                        long headerOffset = start + position;
                        long crc = member(entry, out, position, stamp);
                        written.add(new WrittenEntry(entry.ordinal(), crc, headerOffset));
                        position = out.size();
                        next = entry.ordinal() + 1;
                    }
                }
                boolean last = next >= total;
                if (last) {
                    ByteBuffer directory = StoredZip.centralDirectory(members(id, written), start + position, stamp);
                    while (directory.hasRemaining()) {
                        out.write(directory, position + directory.position());
                    }
                    position = out.size();
                }
                out.force(false);
                String etag = store.uploadPart(download.bucket(), download.objectKey(), download.uploadId(), partNumber, file);
                Part part = new Part(partNumber, etag, position, previous == null ? 0 : previous.nextEntry(), next,
                        start + position, last);
                batch.recordPart(id, part, written);
                return part;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Writes one member at {@code position}: header, then the object's bytes checked against its address. */
    private long member(Entry entry, FileChannel out, long position, LocalDateTime stamp) throws IOException {
        if (entry.size() > StoredZip.MAX_MEMBER) {
            throw new IllegalStateException(entry.name() + " is " + entry.size() + " bytes: members over 4 GiB are not supported");
        }
        ByteBuffer header = StoredZip.localHeader(entry.name(), entry.size(), stamp);
        long at = position;
        while (header.hasRemaining()) {
            at += out.write(header, at);
        }
        // the object failing to arrive whole is a TransientException, a fault of the service (the part is
        // made again by a retry or the job's restart); the part file's disk failing is an IOException
        MemberData data = new MemberData(out, at);
        long size = store.copyTo(entry.bucket(), entry.objectKey(), data).orElseThrow(() -> new IllegalStateException(
                entry.bucket() + "/" + entry.objectKey() + " (" + entry.name() + ") is missing from storage"));
        if (size != entry.size() || !Sha256.hex(data.digest.digest()).equals(entry.sha256())) {
            throw new IllegalStateException(entry.bucket() + "/" + entry.objectKey() + " does not match its content address");
        }
        long crc = data.crc.getValue();
        ByteBuffer crcField = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc).flip();
        while (crcField.hasRemaining()) {
            out.write(crcField, position + StoredZip.CRC_OFFSET + crcField.position());
        }
        return crc;
    }

    /** A member's data written into the part file from a position on, with its CRC-32 and SHA-256 kept. */
    private static final class MemberData extends OutputStream {

        private final FileChannel out;
        private long at;
        final CRC32 crc = new CRC32();
        final MessageDigest digest = Sha256.newDigest();

        MemberData(FileChannel out, long at) {
            this.out = out;
            this.at = at;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            digest.update(b, off, len);
            ByteBuffer chunk = ByteBuffer.wrap(b, off, len);
            while (chunk.hasRemaining()) {
                at += out.write(chunk, at);
            }
        }
    }

    private List<StoredZip.Member> members(UUID id, List<WrittenEntry> justWritten) {
        Map<Integer, WrittenEntry> now = new HashMap<>();
        justWritten.forEach(w -> now.put(w.ordinal(), w));
        List<StoredZip.Member> members = new ArrayList<>();
        List<Object[]> rows = batch.written(id);
        for (int ordinal = 0; ordinal < rows.size(); ordinal++) {
            Object[] row = rows.get(ordinal);
            WrittenEntry w = now.get(ordinal);
            long crc = w != null ? w.crc32() : (Long) row[2];
            long offset = w != null ? w.headerOffset() : (Long) row[3];
            members.add(new StoredZip.Member((String) row[0], (Long) row[1], crc, offset));
        }
        return members;
    }
}
