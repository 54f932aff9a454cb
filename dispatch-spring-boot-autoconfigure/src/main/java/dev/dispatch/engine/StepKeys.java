package dev.dispatch.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids and signatures of a parent's steps. Ids derive from the parent's id, the step and the position, so a replay
 * after a crash finds what the crashed run recorded instead of recording it twice.
 */
final class StepKeys {

    /** The time (ms, shifted by 12 bits) and counter of the last root id made here: root ids increase. */
    private static final AtomicLong LAST_ROOT = new AtomicLong();

    private StepKeys() {}

    static String groupId(String parentId, int step) {
        return UUID.nameUUIDFromBytes((parentId + "/" + step).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * The id of a step's call: a UUID (RFC 9562 version 8) whose 122 free bits are a hash of the parent and step, the
     * position folded into the low bits (exclusive or). Two calls of different steps share an id only if their hashes
     * match in all 122 bits up to the positions' difference: as unlikely as for random UUIDs, where 60 bits of hash
     * beside the position made a collision (a duplicate key that fails a parent for good) likely at a billion steps.
     * The calls of one step share the first half, so they stay neighbours in every index on the id, and recording,
     * claiming and finishing a fan-out touches few index pages per batch instead of one page per call.
     */
    static String childId(String parentId, int step, int position) {
        byte[] hash = sha256((parentId + "/" + step).getBytes(StandardCharsets.UTF_8));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (hash[i] & 0xFF);
            low = (low << 8) | (hash[8 + i] & 0xFF);
        }
        high = (high & ~0xF000L) | 0x8000L;
        low = ((low ^ Integer.toUnsignedLong(position)) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    /**
     * A new root's id: a UUID version 7 (RFC 9562), the time in milliseconds then a counter, then random bits, so ids
     * made one after the other sort one after the other (neighbours in the indexes, like a step's calls).
     */
    static String rootId() {
        long now = System.currentTimeMillis() << 12;
        long stamp = LAST_ROOT.updateAndGet(previous -> Math.max(previous + 1, now));
        long high = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
        long low = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** SHA-256 of a step without calls and what it waits for (a signal's key): what a replay must wait for again. */
    static String signature(String kind, String subject) {
        return HexFormat.of().formatHex(sha256((kind + "\0" + subject).getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of the calls' functions and arguments, in order: what a replay must make again. */
    static String signature(List<Captured> calls) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Captured call : calls) {
                digest.update(call.function().name().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(call.json().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 1);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }
}
