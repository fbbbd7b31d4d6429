package org.openess.gateway.testsupport;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Cuts the byte stream a test's Modbus TCP server receives into whole requests: the 7-byte MBAP
 * header, then as many PDU bytes as its length field says. TCP delivers requests split and
 * merged at will, so every scripted server needs this before it can answer one request.
 */
public final class MbapRequests {
    /** One whole request: its transaction id, unit id and PDU (function code first). */
    @FunctionalInterface
    public interface Request {
        void handle(int transactionId, int unitId, byte[] pdu);
    }

    private MbapRequests() {
    }

    /** A socket handler that calls {@code onRequest} once per whole request, in arrival order. */
    public static Handler<Buffer> parser(Request onRequest) {
        RecordParser parser = RecordParser.newFixed(7);
        int[] header = { -1, 0, 0 }; // pdu length (-1: reading a header), transaction id, unit id
        parser.handler(buf -> {
            if (header[0] < 0) {
                header[1] = buf.getUnsignedShort(0);
                header[2] = buf.getUnsignedByte(6);
                header[0] = buf.getUnsignedShort(4) - 1;
                parser.fixedSizeMode(header[0]);
                return;
            }
            byte[] pdu = buf.getBytes();
            header[0] = -1;
            parser.fixedSizeMode(7);
            onRequest.handle(header[1], header[2], pdu);
        });
        return parser;
    }
}
