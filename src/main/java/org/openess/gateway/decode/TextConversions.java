package org.openess.gateway.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import org.openess.gateway.profile.PointType;

/** Registers to text: SunSpec strings, IPv4/IPv6 and EUI-48 addresses. */
public final class TextConversions {
    private TextConversions() {
    }

    /** The text of a value of {@code length} registers at {@code offset}; null when there is none. */
    public static String text(PointType type, int[] w, int offset, int length) {
        return switch (type) {
            case STRING -> string(w, offset, length);
            case IPV4 -> ipv4(w, offset);
            case IPV6 -> ipv6(w, offset);
            case EUI48 -> eui48(w, offset);
            default -> throw new IllegalStateException(type + " is not a text type");
        };
    }

    /**
     * Two ASCII bytes per register, high byte first. Devices pad with NULs (some with spaces): both
     * are trimmed from the end, and a NUL inside is dropped (PostgreSQL text cannot hold it). An
     * empty result is "not implemented" (null).
     */
    public static String string(int[] w, int offset, int length) {
        byte[] bytes = new byte[length * 2];
        int n = 0;
        for (int i = 0; i < length; i++) {
            int word = w[offset + i];
            byte hi = (byte) (word >>> 8);
            byte lo = (byte) word;
            if (hi != 0) {
                bytes[n++] = hi;
            }
            if (lo != 0) {
                bytes[n++] = lo;
            }
        }
        while (n > 0 && bytes[n - 1] == ' ') {
            n--;
        }
        return n == 0 ? null : new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    public static String ipv4(int[] w, int offset) {
        int hi = w[offset];
        int lo = w[offset + 1];
        return (hi >>> 8) + "." + (hi & 0xFF) + "." + (lo >>> 8) + "." + (lo & 0xFF);
    }

    public static String ipv6(int[] w, int offset) {
        byte[] bytes = new byte[16];
        boolean any = false;
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (w[offset + i] >>> 8);
            bytes[2 * i + 1] = (byte) w[offset + i];
            any |= w[offset + i] != 0;
        }
        if (!any) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress(); // from bytes: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The low 48 bits of four registers as {@code 00:11:22:33:44:55}. */
    public static String eui48(int[] w, int offset) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 1; i < 4; i++) {
            int word = w[offset + i];
            if (i > 1) {
                sb.append(':');
            }
            sb.append(String.format("%02x:%02x", word >>> 8, word & 0xFF));
        }
        return sb.toString();
    }
}
