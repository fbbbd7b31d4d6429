package org.openess.gateway.modbus;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fazecast.jSerialComm.SerialPort;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A serial port (an RS-485 USB adapter, a UART, a pseudo-terminal) through jSerialComm. Serial I/O
 * blocks, so none of it runs on the bus's event loop: opening, writing and closing run on one
 * thread of this port, reading on another that hands each chunk to the bus's context. A port
 * whose path disappears (the USB adapter unplugged) or now leads to another device (plugged back
 * as a new tty) is reported lost, and the bus reopens it with backoff like a TCP reconnect.
 */
public final class SerialRtuPort implements RtuPort {
    /** How long a read waits for the first byte before the reader checks that the port is still there. */
    private static final int READ_POLL_MILLIS = 100;

    private final Context context;
    private final SerialSettings settings;
    /** Open, write and close; at most a few tasks wait (the bus has one request on the wire). */
    private final ThreadPoolExecutor io;
    /** The open port, or null; replaced on the io thread, read by the reader. */
    private volatile Session session;
    private volatile boolean closed;

    private final class Session {
        final SerialPort port;
        final String device;
        volatile boolean active = true;

        Session(SerialPort port, String device) {
            this.port = port;
            this.device = device;
        }
    }

    public SerialRtuPort(Context context, SerialSettings settings) {
        this.context = context;
        this.settings = settings;
        String name = "ess-serial-" + new File(settings.port()).getName();
        this.io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());
    }

    @Override
    public Future<Void> open(Listener listener) {
        Promise<Void> opened = Promise.promise();
        io.execute(() -> {
            String error = null;
            try {
                Session s = openSession();
                session = s;
                Thread reader = new Thread(() -> readLoop(s, listener), "ess-serial-reader-" + new File(settings.port()).getName());
                reader.setDaemon(true);
                reader.start();
            } catch (IOException | RuntimeException e) {
                error = e.getMessage();
            }
            String failure = error;
            context.runOnContext(v -> {
                if (failure == null) {
                    opened.complete();
                } else {
                    opened.fail(failure);
                }
            });
        });
        return opened.future();
    }

    private Session openSession() throws IOException {
        if (closed) {
            throw new IOException("serial port " + settings.port() + " closed by the gateway");
        }
        File path = new File(settings.port());
        if (!path.exists()) {
            throw new IOException("serial port " + settings.port() + " does not exist");
        }
        String device = path.getCanonicalPath();
        SerialPort port = SerialPort.getCommPort(device);
        int parity = switch (settings.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
        port.setComPortParameters(settings.baudRate(), settings.dataBits(),
                settings.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT, parity);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, READ_POLL_MILLIS, 1000);
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + settings.port() + " (" + device + "): error " + port.getLastErrorCode()
                    + " (busy, or no permission: the gateway's user needs the dialout group)");
        }
        port.flushIOBuffers();
        return new Session(port, device);
    }

    private void readLoop(Session s, Listener listener) {
        byte[] buf = new byte[RtuFrames.MAX_FRAME];
        long nextCheck = System.nanoTime();
        while (s.active) {
            int n = s.port.readBytes(buf, buf.length);
            if (!s.active) {
                return;
            }
            if (n < 0) {
                lose(s, listener, "read from serial port " + settings.port() + " failed (error " + s.port.getLastErrorCode() + ")");
                return;
            }
            if (n > 0) {
                byte[] chunk = java.util.Arrays.copyOf(buf, n);
                context.runOnContext(v -> {
                    if (s.active) {
                        listener.data(chunk);
                    }
                });
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + TimeUnit.MILLISECONDS.toNanos(500);
                String gone = gone(s);
                if (gone != null) {
                    lose(s, listener, gone);
                    return;
                }
            }
        }
    }

    /** Why the open port is no longer the configured one, or null while it is. */
    private String gone(Session s) {
        File path = new File(settings.port());
        if (!path.exists()) {
            return "serial port " + settings.port() + " disappeared";
        }
        try {
            if (!path.getCanonicalPath().equals(s.device)) {
                return "serial port " + settings.port() + " now leads to another device";
            }
        } catch (IOException e) {
            return "serial port " + settings.port() + ": " + e.getMessage();
        }
        return null;
    }

    private void lose(Session s, Listener listener, String reason) {
        s.active = false;
        io.execute(() -> s.port.closePort());
        context.runOnContext(v -> {
            if (session == s) {
                session = null;
                listener.lost(reason);
            }
        });
    }

    @Override
    public void discardInput() {
        Session s = session;
        if (s != null) {
            io.execute(() -> {
                if (s.active) {
                    s.port.flushIOBuffers();
                }
            });
        }
    }

    @Override
    public void write(byte[] frame) {
        Session s = session;
        if (s != null) {
            io.execute(() -> {
                if (s.active) {
                    s.port.writeBytes(frame, frame.length);
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        Session s = session;
        session = null;
        if (s != null) {
            s.active = false;
            io.execute(() -> s.port.closePort());
        }
        io.shutdown();
    }

    @Override
    public String address() {
        return settings.port();
    }

    @Override
    public long charNanos() {
        return settings.charNanos();
    }

    @Override
    public boolean reopenWhenSilent() {
        return false;
    }
}
