package dev.dispatch.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Ids and signatures of a parent's steps. Ids derive from the parent's id, the step and the position, so a replay
 * after a crash finds what the crashed run recorded instead of recording it twice.
 */
final class StepKeys {

    private StepKeys() {}

    static String groupId(String parentId, int step) {
        return UUID.nameUUIDFromBytes((parentId + "/" + step).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static String childId(String parentId, int step, int position) {
        return UUID.nameUUIDFromBytes((parentId + "/" + step + "/" + position).getBytes(StandardCharsets.UTF_8))
                .toString();
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
