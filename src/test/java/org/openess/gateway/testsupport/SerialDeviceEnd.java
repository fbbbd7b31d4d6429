package org.openess.gateway.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.openess.gateway.simulator.RtuSimulatedBus;
import org.openess.gateway.simulator.SimulatedRegisters;
import org.openess.gateway.simulator.SimulatorServer;

import com.fazecast.jSerialComm.SerialPort;

import io.vertx.core.buffer.Buffer;

/**
 * Simulated devices on the far end of a serial line: opens {@code path} with jSerialComm, answers
 * RTU requests as units 1..N ({@link RtuSimulatedBus}), and records what it served. A
 * pseudo-terminal passes bytes at once whatever its baud rate, so each answer is held back for the
 * time the request and the answer take on a real line at {@code baudRate} 8E1: the gateway's bus
 * time is what it would be on the wire. When the line goes away (the path deleted) it waits for
 * the path to come back and opens it again.
 */
public final class SerialDeviceEnd implements AutoCloseable {
    private final Path path;
    private final int baudRate;
    private final RtuSimulatedBus bus;
    private final Thread thread;
    private volatile boolean closed;
    public final AtomicLong answered = new AtomicLong();
    public final AtomicLong opens = new AtomicLong();

    public SerialDeviceEnd(Path path, int baudRate, List<? extends SimulatedRegisters> devices, SimulatorServer.ServedLog served) {
        this.path = path;
        this.baudRate = baudRate;
        this.bus = new RtuSimulatedBus(devices, served);
        this.thread = new Thread(this::run, "serial-device-" + path.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long charNanos = 11 * 1_000_000_000L / baudRate;
        byte[] buf = new byte[512];
        while (!closed) {
            File file = path.toFile();
            if (!file.exists()) {
                sleep(50);
                continue;
            }
            String device;
            try {
                device = file.getCanonicalPath();
            } catch (IOException e) {
                sleep(50);
                continue;
            }
            SerialPort port = SerialPort.getCommPort(device);
            port.setComPortParameters(baudRate, 8, SerialPort.ONE_STOP_BIT, SerialPort.EVEN_PARITY);
            port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
            if (!port.openPort()) {
                sleep(50);
                continue;
            }
            opens.incrementAndGet();
            try {
                while (!closed) {
                    int n = port.readBytes(buf, buf.length);
                    if (n < 0 || !file.exists() || !device.equals(canonical(file))) {
                        break;
                    }
                    if (n == 0) {
                        continue;
                    }
                    long received = System.nanoTime();
                    Buffer answer = bus.accept(java.util.Arrays.copyOf(buf, n), System.currentTimeMillis());
                    if (answer.length() == 0) {
                        continue;
                    }
                    // the request's 8 characters and the answer's, as a real line at the baud rate would take them
                    long wire = charNanos * (8 + answer.length());
                    long wait = received + wire - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    byte[] bytes = answer.getBytes();
                    port.writeBytes(bytes, bytes.length);
                    answered.incrementAndGet();
                }
            } finally {
                port.closePort();
            }
        }
    }

    private static String canonical(File f) {
        try {
            return f.getCanonicalPath();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
