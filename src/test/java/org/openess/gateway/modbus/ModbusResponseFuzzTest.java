package org.openess.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.testsupport.UnitTest;

/**
 * The response parser ({@link ModbusPdus#parseFrame}, which the connection runs on every frame)
 * against 132,000 generated frames: valid answers, exception answers and eleven kinds of broken
 * or mutated frames, each with the outcome it must get, plus random bytes and bit-flipped valid
 * frames judged by {@link #oracle}, an independent reading of the Modbus specification. Every
 * frame ends as values or a {@link ModbusReadException}; nothing else escapes, nothing hangs.
 */
@UnitTest
class ModbusResponseFuzzTest {
    static final int PER_KIND = 10_000;

    enum FrameKind {
        VALID, EXCEPTION, EXCEPTION_TOO_LONG, PROTOCOL_ID, LENGTH_OUT_OF_RANGE, LENGTH_DISAGREES, WRONG_UNIT, WRONG_FUNCTION,
        WRONG_BYTE_COUNT, PDU_CUT_SHORT, SHORTER_THAN_HEADER, RANDOM_BYTES, BIT_FLIPS
    }

    /** The outcome of parsing one frame: values, or a failure kind (with exception code). */
    record Outcome(int[] values, ModbusReadException.Kind kind, int exceptionCode) {
        static Outcome ok(int[] v) {
            return new Outcome(v, null, 0);
        }

        static Outcome failed(ModbusReadException.Kind k, int code) {
            return new Outcome(null, k, code);
        }

        boolean same(Outcome o) {
            return kind == o.kind && exceptionCode == o.exceptionCode && Arrays.equals(values, o.values);
        }

        @Override
        public String toString() {
            return values != null ? "values" + Arrays.toString(values) : kind + (exceptionCode != 0 ? "/" + exceptionCode : "");
        }
    }

    @Test
    void everyFrameIsClassifiedAsItsKindRequires() {
        Map<FrameKind, Integer> seen = new EnumMap<>(FrameKind.class);
        Map<String, Integer> randomOutcomes = new java.util.TreeMap<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(20261128L);
            for (FrameKind kind : FrameKind.values()) {
                for (int i = 0; i < PER_KIND; i++) {
                    Case c = generate(kind, r);
                    Outcome actual = parse(c);
                    String where = kind + " #" + i + " " + c.read + " unit " + c.unit + " frame " + hex(c.frame);
                    Outcome expected = oracle(c.read, c.unit, c.frame);
                    assertTrue(expected.same(actual), where + ": parser says " + actual + ", the specification says " + expected);
                    switch (kind) {
                        case VALID -> assertArrayEquals(c.values, actual.values, where);
                        case EXCEPTION -> {
                            assertEquals(ModbusReadException.Kind.EXCEPTION_RESPONSE, actual.kind, where);
                            assertEquals(c.exceptionCode, actual.exceptionCode, where);
                        }
                        case RANDOM_BYTES, BIT_FLIPS -> randomOutcomes.merge(kind + " " + (actual.values != null ? "values" : actual.kind),
                                1, Integer::sum);
                        default -> assertEquals(ModbusReadException.Kind.BAD_FRAME, actual.kind, where);
                    }
                    seen.merge(kind, 1, Integer::sum);
                }
            }
        });
        for (FrameKind kind : FrameKind.values()) {
            assertEquals(PER_KIND, seen.get(kind), kind.toString());
        }
        // the mutations reached more than one outcome (a generator that only made garbage would not)
        assertTrue(randomOutcomes.getOrDefault("BIT_FLIPS values", 0) > 100, randomOutcomes.toString());
        assertTrue(randomOutcomes.getOrDefault("BIT_FLIPS BAD_FRAME", 0) > 1000, randomOutcomes.toString());
        assertTrue(randomOutcomes.getOrDefault("RANDOM_BYTES BAD_FRAME", 0) > 1000, randomOutcomes.toString());
    }

    record Case(ReadRequest read, int unit, byte[] frame, int[] values, int exceptionCode) {
    }

    static Outcome parse(Case c) {
        try {
            int[] v = ModbusPdus.parseFrame(c.read, c.unit, c.frame);
            assertNotNull(v);
            return Outcome.ok(v);
        } catch (ModbusReadException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
            assertTrue(e.kind() == ModbusReadException.Kind.BAD_FRAME || e.kind() == ModbusReadException.Kind.EXCEPTION_RESPONSE,
                    "a parser cannot time out or lose a connection: " + e.kind());
            return Outcome.failed(e.kind(), e.exceptionCode());
        }
    }

    static Case generate(FrameKind kind, Random r) {
        FunctionCode fc = FunctionCode.values()[r.nextInt(4)];
        int count = 1 + r.nextInt(fc.isBitAddressed() ? 2000 : 125);
        ReadRequest read = new ReadRequest(0, new Area("fuzz", fc, 0, 65536), fc, r.nextInt(65536 - count), count);
        int unit = r.nextInt(256);
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = fc.isBitAddressed() ? r.nextInt(2) : r.nextInt(65536);
        }
        byte[] pdu = answerPdu(fc, values);
        byte[] frame = frame(r.nextInt(65536), 0, unit, pdu);
        int code = 0;
        switch (kind) {
            case VALID -> {
            }
            case EXCEPTION -> {
                code = 1 + r.nextInt(255);
                frame = frame(r.nextInt(65536), 0, unit, new byte[] { (byte) (fc.code() | 0x80), (byte) code });
            }
            case EXCEPTION_TOO_LONG -> {
                byte[] p = new byte[3 + r.nextInt(20)];
                r.nextBytes(p);
                p[0] = (byte) (fc.code() | 0x80);
                frame = frame(r.nextInt(65536), 0, unit, p);
            }
            case PROTOCOL_ID -> frame = frame(r.nextInt(65536), 1 + r.nextInt(65535), unit, pdu);
            case LENGTH_OUT_OF_RANGE -> {
                int length = r.nextBoolean() ? r.nextInt(3) : 255 + r.nextInt(65536 - 255);
                frame[4] = (byte) (length >> 8);
                frame[5] = (byte) length;
            }
            case LENGTH_DISAGREES -> {
                // the frame is cut short or has bytes after what its header announces
                int delta = r.nextBoolean() ? -(1 + r.nextInt(Math.min(frame.length - 7, 40))) : 1 + r.nextInt(40);
                byte[] f = Arrays.copyOf(frame, frame.length + delta);
                if (delta > 0) {
                    for (int i = frame.length; i < f.length; i++) {
                        f[i] = (byte) r.nextInt(256);
                    }
                }
                frame = f;
            }
            case WRONG_UNIT -> frame[6] = (byte) ((unit + 1 + r.nextInt(255)) & 0xFF);
            case WRONG_FUNCTION -> {
                int other;
                do {
                    other = r.nextInt(256);
                } while (other == fc.code() || other == (fc.code() | 0x80));
                frame[7] = (byte) other;
            }
            case WRONG_BYTE_COUNT -> {
                int other;
                do {
                    other = r.nextInt(256);
                } while (other == (frame[8] & 0xFF));
                frame[8] = (byte) other;
            }
            case PDU_CUT_SHORT -> {
                byte[] p = Arrays.copyOf(pdu, r.nextInt(pdu.length));
                frame = frame(r.nextInt(65536), 0, unit, p.length == 0 ? new byte[] { (byte) fc.code(), 0 } : p);
                if (p.length == 0) {
                    frame = Arrays.copyOf(frame, 7); // header only: MBAP length 1 is below 3
                    frame[4] = 0;
                    frame[5] = 1;
                }
            }
            case SHORTER_THAN_HEADER -> frame = Arrays.copyOf(frame, r.nextInt(7));
            case RANDOM_BYTES -> {
                frame = new byte[r.nextInt(300)];
                r.nextBytes(frame);
                if (r.nextBoolean() && frame.length >= 8) {
                    // a plausible header, so that the PDU checks get random input too
                    frame[2] = 0;
                    frame[3] = 0;
                    frame[4] = (byte) ((frame.length - 6) >> 8);
                    frame[5] = (byte) (frame.length - 6);
                    frame[6] = (byte) unit;
                    frame[7] = (byte) (r.nextBoolean() ? fc.code() : fc.code() | 0x80);
                }
            }
            case BIT_FLIPS -> {
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int bit = r.nextInt(Math.min(frame.length, 12) * 8 + (r.nextInt(4) == 0 ? (frame.length - 12) * 8 : 0));
                    frame[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
        }
        return new Case(read, unit, frame, values, code);
    }

    /**
     * What the Modbus Application Protocol (V1.1b3) and Modbus Messaging on TCP/IP (V1.0b) make of
     * a frame answering {@code read} sent to {@code unit}, written without the parser's code.
     */
    static Outcome oracle(ReadRequest read, int unit, byte[] f) {
        ModbusReadException.Kind bad = ModbusReadException.Kind.BAD_FRAME;
        if (f.length < 7) {
            return Outcome.failed(bad, 0);
        }
        int protocol = u16(f, 2);
        int length = u16(f, 4);
        // the length counts the unit id and the PDU; a PDU is 2..253 bytes
        if (protocol != 0 || length < 3 || length > 254 || f.length != 6 + length || (f[6] & 0xFF) != unit) {
            return Outcome.failed(bad, 0);
        }
        int fc = f[7] & 0xFF;
        int pduLength = length - 1;
        if (fc == (read.function().code() | 0x80)) {
            return pduLength == 2 ? Outcome.failed(ModbusReadException.Kind.EXCEPTION_RESPONSE, f[8] & 0xFF) : Outcome.failed(bad, 0);
        }
        boolean bits = read.function().isBitAddressed();
        int need = bits ? (read.count() + 7) / 8 : 2 * read.count();
        if (fc != read.function().code() || (f[8] & 0xFF) != need || pduLength != 2 + need) {
            return Outcome.failed(bad, 0);
        }
        int[] v = new int[read.count()];
        for (int i = 0; i < v.length; i++) {
            v[i] = bits ? (f[9 + i / 8] >> (i % 8)) & 1 : u16(f, 9 + 2 * i);
        }
        return Outcome.ok(v);
    }

    static byte[] answerPdu(FunctionCode fc, int[] values) {
        if (fc.isBitAddressed()) {
            byte[] p = new byte[2 + (values.length + 7) / 8];
            p[0] = (byte) fc.code();
            p[1] = (byte) (p.length - 2);
            for (int i = 0; i < values.length; i++) {
                p[2 + i / 8] |= (byte) (values[i] << (i % 8));
            }
            return p;
        }
        byte[] p = new byte[2 + 2 * values.length];
        p[0] = (byte) fc.code();
        p[1] = (byte) (2 * values.length);
        for (int i = 0; i < values.length; i++) {
            p[2 + 2 * i] = (byte) (values[i] >> 8);
            p[3 + 2 * i] = (byte) values[i];
        }
        return p;
    }

    static byte[] frame(int tid, int protocol, int unit, byte[] pdu) {
        byte[] f = new byte[7 + pdu.length];
        f[0] = (byte) (tid >> 8);
        f[1] = (byte) tid;
        f[2] = (byte) (protocol >> 8);
        f[3] = (byte) protocol;
        f[4] = (byte) ((pdu.length + 1) >> 8);
        f[5] = (byte) (pdu.length + 1);
        f[6] = (byte) unit;
        System.arraycopy(pdu, 0, f, 7, pdu.length);
        return f;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 24); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return b.length > 24 ? s + "…(" + b.length + " bytes)" : s.toString();
    }
}
