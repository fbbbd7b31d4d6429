package org.openess.gateway.simulator;

import org.openess.gateway.profile.Endianness;
import org.openess.gateway.profile.PointSpec;
import org.openess.gateway.profile.PointType;

/**
 * The inverse of decoding, for the simulator: engineering value → raw integer (clamped to the
 * type, unsigned types never negative) → register words in the point's word and byte order.
 */
public final class RegisterEncoder {
    private RegisterEncoder() {
    }

    /** Writes the point's value into {@code words} at {@code offset}; returns the raw integer written. */
    public static long encode(PointSpec point, double value, int[] words, int offset) {
        if (point.invert() && (value == 0 || value == 1)) {
            // decoding swaps 0 and 1 last, so encoding swaps them first
            value = 1 - value;
        }
        boolean swap = point.byteOrder() == Endianness.LITTLE;
        boolean little = point.wordOrder() == Endianness.LITTLE;
        switch (point.type()) {
            case FLOAT32 -> {
                int bits = Float.floatToIntBits((float) ((value - point.offset()) / point.scale()));
                put32(words, offset, bits, little, swap);
                return bits;
            }
            case FLOAT64 -> {
                long bits = Double.doubleToLongBits((value - point.offset()) / point.scale());
                put64(words, offset, bits, little, swap);
                return bits;
            }
            case BIT -> {
                int w = words[offset];
                int mask = 1 << point.bit();
                int device = swap ? swapBytes(w) : w;
                device = value != 0 ? device | mask : device & ~mask;
                words[offset] = swap ? swapBytes(device) : device;
                return value != 0 ? 1 : 0;
            }
            case BOOL -> {
                words[offset] = value != 0 ? 1 : 0;
                return words[offset];
            }
            default -> {
                double exact = (value - point.offset()) / point.scale();
                long raw = point.type() == PointType.UINT64 ? unsigned64(Math.abs(exact)) : clamp(Math.round(exact), point);
                switch (point.type()) {
                    case INT16, UINT16 -> words[offset] = swap ? swapBytes((int) raw & 0xFFFF) : (int) raw & 0xFFFF;
                    case INT32, UINT32 -> put32(words, offset, (int) raw, little, swap);
                    default -> put64(words, offset, raw, little, swap);
                }
                return raw;
            }
        }
    }

    static long clamp(long raw, PointSpec point) {
        return switch (point.type()) {
            case INT16 -> Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, raw));
            case UINT16 -> Math.max(0, Math.min(0xFFFF, Math.abs(raw)));
            case INT32 -> Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raw));
            case UINT32 -> Math.max(0, Math.min(0xFFFF_FFFFL, Math.abs(raw)));
            default -> raw;
        };
    }

    /** The uint64 nearest {@code x} (saturating at 0 and 2^64-1), as its 64-bit pattern. */
    static long unsigned64(double x) {
        if (!(x > 0)) {
            return 0;
        }
        if (x >= 0x1p64) {
            return -1L;
        }
        // Math.round saturates at 2^63-1: above it, round the part past 2^63 and set the top bit
        return x >= 0x1p63 ? Math.round(x - 0x1p63) | Long.MIN_VALUE : Math.round(x);
    }

    private static void put32(int[] words, int offset, int bits, boolean little, boolean swap) {
        int hi = (bits >>> 16) & 0xFFFF;
        int lo = bits & 0xFFFF;
        words[offset] = maybeSwap(little ? lo : hi, swap);
        words[offset + 1] = maybeSwap(little ? hi : lo, swap);
    }

    private static void put64(int[] words, int offset, long bits, boolean little, boolean swap) {
        for (int i = 0; i < 4; i++) {
            int w = (int) (bits >>> (48 - 16 * i)) & 0xFFFF;
            words[offset + (little ? 3 - i : i)] = maybeSwap(w, swap);
        }
    }

    private static int maybeSwap(int w, boolean swap) {
        return swap ? swapBytes(w) : w;
    }

    static int swapBytes(int w) {
        return ((w & 0xFF) << 8) | ((w >>> 8) & 0xFF);
    }
}
