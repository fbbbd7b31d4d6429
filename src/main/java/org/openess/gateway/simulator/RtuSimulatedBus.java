package org.openess.gateway.simulator;

import java.util.List;

import org.openess.gateway.modbus.RtuFrames;

import io.vertx.core.buffer.Buffer;

/**
 * Simulated devices as the units of one Modbus RTU bus: device i answers unit id i + 1; any other
 * unit id gets no answer, like an address nobody has on a real bus (0, broadcast, included). Fed
 * the bytes of the line, in chunks as they come, from a TCP socket (RTU over TCP) or a serial
 * port; answers read functions as {@link SimulatorServer#respond} does. A request with a wrong CRC
 * is ignored, as a device ignores noise. One instance per line; not thread-safe.
 */
public final class RtuSimulatedBus {
    /** Every read request (01-04) is unit, function, start, count and CRC. */
    private static final int REQUEST_LENGTH = 8;

    private final List<? extends SimulatedRegisters> devices;
    private final SimulatorServer.ServedLog log;
    private final byte[] buf = new byte[RtuFrames.MAX_FRAME];
    private int len;

    public RtuSimulatedBus(List<? extends SimulatedRegisters> devices, SimulatorServer.ServedLog log) {
        this.devices = devices;
        this.log = log;
    }

    /** Takes bytes of the line; returns what the bus answers to the requests they complete (empty: nothing). */
    public Buffer accept(byte[] data, long nowMillis) {
        Buffer out = Buffer.buffer();
        for (byte b : data) {
            if (len == buf.length) {
                len = 0;
            }
            buf[len++] = b;
            if (len < REQUEST_LENGTH) {
                continue;
            }
            if (!RtuFrames.crcValid(buf, REQUEST_LENGTH)) {
                // out of step or noise: slide on by one byte until a request lines up
                System.arraycopy(buf, 1, buf, 0, --len);
                continue;
            }
            int unit = buf[0] & 0xFF;
            byte[] pdu = java.util.Arrays.copyOfRange(buf, 1, REQUEST_LENGTH - 2);
            len = 0;
            if (unit >= 1 && unit <= devices.size()) {
                Buffer tcp = SimulatorServer.respond(devices.get(unit - 1), 0, unit, pdu, nowMillis, log);
                // the same answer without the MBAP header: unit id and PDU, then the CRC
                out.appendBytes(RtuFrames.frame(unit, tcp.getBytes(7, tcp.length())));
            }
        }
        return out;
    }
}
