package dev.mediapipeline.processors.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the codec out of a raw {@code stsd}: the RFC 6381 string that HLS {@code CODECS} and DASH
 * {@code codecs} carry (from {@code avcC} for H.264, from the {@code esds} decoder configuration for
 * MPEG-4 audio), and whether a browser's Media Source Extensions can play it.
 */
final class SampleEntries {

    /**
     * The codec of a sample description.
     *
     * @param unplayable why browsers' Media Source Extensions cannot play it, or null when they can
     */
    record Codec(String fourcc, String codec, String name, String unplayable) {
    }

    private SampleEntries() {
    }

    static Codec video(byte[] stsd) throws IOException {
        ByteBuffer entry = firstEntry(stsd);
        String fourcc = fourcc(entry);
        if (!fourcc.equals("avc1") && !fourcc.equals("avc3")) {
            String name = switch (fourcc) {
                case "hvc1", "hev1" -> "H.265/HEVC";
                case "mp4v" -> "MPEG-4 Part 2 video";
                case "jpeg", "mjpa", "mjpb" -> "Motion JPEG";
                case "mp2v", "m2v1", "xdvc" -> "MPEG-2 video";
                case "av01" -> "AV1";
                case "vp09" -> "VP9";
                default -> "'" + fourcc + "' video";
            };
            return new Codec(fourcc, fourcc, name, name + " is not H.264");
        }
        // VisualSampleEntry: 8 header + 6 reserved + 2 data ref + 16 pre-defined + 4 size + 8 resolution
        // + 4 reserved + 2 frame count + 32 compressor name + 2 depth + 2 pre-defined = 86 bytes
        ByteBuffer avcC = child(entry, 86, "avcC");
        if (avcC == null || avcC.remaining() < 12) {
            return new Codec(fourcc, fourcc, "H.264", "the H.264 track has no avcC configuration");
        }
        int profile = avcC.get(9) & 0xff;
        int compatibility = avcC.get(10) & 0xff;
        int level = avcC.get(11) & 0xff;
        String codec = String.format("%s.%02x%02x%02x", fourcc, profile, compatibility, level);
        String name = "H.264 " + switch (profile) {
            case 66 -> (compatibility & 0x40) != 0 ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4 Predictive";
            default -> "profile " + profile;
        };
        boolean playable = profile == 66 || profile == 77 || profile == 100;
        return new Codec(fourcc, codec, name, playable ? null
                : name + " is not decoded by browsers' Media Source Extensions (8-bit 4:2:0 Baseline, Main or High is)");
    }

    static Codec audio(byte[] stsd) throws IOException {
        ByteBuffer entry = firstEntry(stsd);
        String fourcc = fourcc(entry);
        if (!fourcc.equals("mp4a")) { // AC-3, Opus, FLAC, ALAC, PCM, QuickTime's .mp3 ...
            String name = switch (fourcc) {
                case ".mp3" -> "MP3";
                case "twos", "sowt", "lpcm", "in24", "in32", "fl32" -> "PCM audio";
                default -> "'" + fourcc + "' audio";
            };
            return new Codec(fourcc, fourcc, name, name + " is not AAC");
        }
        // AudioSampleEntry: 8 header + 6 reserved + 2 data ref + 2 version (QuickTime) + 6 + 4 + 4 + 4 = 36,
        // with 16 more for a QuickTime version 1 sound description and 36 more for version 2
        int version = entry.getShort(16) & 0xffff;
        int start = 36 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        ByteBuffer esds = child(entry, start, "esds");
        if (esds == null) {
            ByteBuffer wave = child(entry, start, "wave"); // QuickTime keeps esds inside wave
            esds = wave == null ? null : child(wave, 8, "esds");
        }
        if (esds == null) {
            return new Codec(fourcc, fourcc, "MPEG-4 audio", "the audio track has no esds configuration");
        }
        int objectType = -1;
        int audioObjectType = -1;
        ByteBuffer d = esds.duplicate().position(12); // box header + version/flags
        while (d.remaining() > 2) {
            int tag = d.get() & 0xff;
            int length = descriptorLength(d);
            int bodyStart = d.position();
            switch (tag) {
                case 0x03 -> { // ES_Descriptor: ES_ID, flags, optional fields, then nested descriptors
                    d.getShort();
                    int flags = d.get() & 0xff;
                    if ((flags & 0x80) != 0) {
                        d.getShort();
                    }
                    if ((flags & 0x40) != 0) {
                        d.position(d.position() + 1 + (d.get(d.position()) & 0xff));
                    }
                    if ((flags & 0x20) != 0) {
                        d.getShort();
                    }
                    continue;
                }
                case 0x04 -> { // DecoderConfigDescriptor: objectTypeIndication, stream type, buffer, bitrates, nested
                    objectType = d.get() & 0xff;
                    d.position(d.position() + 12);
                    continue;
                }
                case 0x05 -> { // DecoderSpecificInfo: AudioSpecificConfig
                    if (length > 0) {
                        int first = ((d.get(bodyStart) & 0xff) << 8) | (length > 1 ? d.get(bodyStart + 1) & 0xff : 0);
                        audioObjectType = first >>> 11;
                        if (audioObjectType == 31) {
                            audioObjectType = 32 + ((first >>> 5) & 0x3f);
                        }
                    }
                }
                default -> {
                }
            }
            d.position(Math.min(d.limit(), bodyStart + length));
        }
        if (objectType == 0x69 || objectType == 0x6b) {
            String codec = String.format("mp4a.%02X", objectType);
            return new Codec(fourcc, codec, "MP3", "MP3 audio in MP4 is not played by every Media Source Extensions"
                    + " implementation (hls.js and Safari expect AAC)");
        }
        if (objectType != 0x40 && objectType != 0x66 && objectType != 0x67 && objectType != 0x68) {
            return new Codec(fourcc, String.format("mp4a.%02X", objectType), "MPEG-4 audio object type 0x"
                    + Integer.toHexString(objectType), "audio object type 0x" + Integer.toHexString(objectType) + " is not AAC");
        }
        if (objectType != 0x40) { // MPEG-2 AAC object types: signal as MPEG-4 AAC LC
            audioObjectType = audioObjectType <= 0 ? 2 : audioObjectType;
        }
        String name = switch (audioObjectType) {
            case 2 -> "AAC LC";
            case 5 -> "HE-AAC";
            case 29 -> "HE-AAC v2";
            case 1 -> "AAC Main";
            default -> "AAC (object type " + audioObjectType + ")";
        };
        boolean playable = audioObjectType == 2 || audioObjectType == 5 || audioObjectType == 29;
        return new Codec(fourcc, "mp4a.40." + audioObjectType, name, playable ? null : name + " is not AAC LC or HE-AAC");
    }

    private static int descriptorLength(ByteBuffer d) {
        int length = 0;
        for (int i = 0; i < 4 && d.hasRemaining(); i++) {
            int b = d.get() & 0xff;
            length = (length << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return length;
    }

    /** The first sample entry of an stsd box (8 header + 4 version/flags + 4 entry count). */
    private static ByteBuffer firstEntry(byte[] stsd) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(stsd);
        if (stsd.length < 24 || b.getInt(12) < 1) {
            throw new IOException("the track has no sample entry");
        }
        List<ByteBuffer> entries = Mp4Movie.children(ByteBuffer.wrap(stsd, 16, stsd.length - 16).slice(), fourcc(ByteBuffer.wrap(stsd, 16, 8).slice()));
        return entries.getFirst();
    }

    private static String fourcc(ByteBuffer box) {
        byte[] type = new byte[4];
        box.duplicate().position(4).get(type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer child(ByteBuffer box, int childrenStart, String type) throws IOException {
        if (box.limit() <= childrenStart) {
            return null;
        }
        List<ByteBuffer> found = Mp4Movie.children(box.duplicate().position(childrenStart).slice(), type);
        return found.isEmpty() ? null : found.getFirst();
    }
}
