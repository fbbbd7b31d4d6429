package org.openess.gateway.bench;

import java.util.concurrent.TimeUnit;

import org.openess.gateway.modbus.ModbusPdus;
import org.openess.gateway.plan.ReadRequest;
import org.openess.gateway.profile.Area;
import org.openess.gateway.profile.FunctionCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The Modbus client's per-request CPU: building a request frame and parsing a 125-register response. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ModbusPduBench {
    ReadRequest read;
    byte[] pdu;
    int tid;

    @Setup
    public void setup() {
        Area area = new Area("BMS1", FunctionCode.INPUT_REGISTERS, 0, 137);
        read = new ReadRequest(0, area, FunctionCode.INPUT_REGISTERS, 0, 125);
        pdu = new byte[2 + 250];
        pdu[0] = 4;
        pdu[1] = (byte) 250;
        for (int i = 0; i < 125; i++) {
            pdu[2 + 2 * i] = (byte) (i * 7);
            pdu[3 + 2 * i] = (byte) (i * 13);
        }
    }

    @Benchmark
    public int[] parse125Registers() {
        return ModbusPdus.parseResponse(read, 1, 1, pdu);
    }

    @Benchmark
    public byte[] requestFrame() {
        tid = (tid + 1) & 0xFFFF;
        return ModbusPdus.requestFrame(read, tid, 1);
    }
}
