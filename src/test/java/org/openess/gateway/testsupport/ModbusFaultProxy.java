package org.openess.gateway.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay between a Modbus client and a Modbus TCP server that damages the server's
 * answers on request: requests pass untouched, each answer frame (read whole by its MBAP length)
 * takes the next queued {@link Fault}, or passes when none is queued.
 */
public final class ModbusFaultProxy implements AutoCloseable {
    public enum Fault {
        /** The frame is swallowed. */
        DROP,
        /** The frame is sent {@code delayMillis} late; frames after it are not held back. */
        DELAY,
        /** Only the first half of the frame is sent, the rest never. */
        TRUNCATE,
        /** The MBAP protocol id is changed (the stream can no longer be trusted). */
        CORRUPT_HEADER,
        /** The PDU's byte count is changed (the frame is wrong, the stream still in step). */
        CORRUPT_PDU
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-proxy-delay");
        t.setDaemon(true);
        return t;
    });
    private volatile long delayMillis = 500;

    public ModbusFaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Client connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Applies {@code fault} to the next answer frame that has none queued before it. */
    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                connections.incrementAndGet();
                daemon("fault-proxy-requests", () -> relayBytes(client, upstream));
                daemon("fault-proxy-answers", () -> relayFrames(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void relayBytes(Socket from, Socket to) {
        byte[] buf = new byte[4096];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0;) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // a side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void relayFrames(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream())) {
            OutputStream out = to.getOutputStream();
            while (true) {
                byte[] header = new byte[7];
                in.readFully(header);
                int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
                byte[] frame = new byte[6 + length];
                System.arraycopy(header, 0, frame, 0, 7);
                in.readFully(frame, 7, length - 1);
                Fault fault = faults.poll();
                if (fault == null) {
                    send(out, frame, frame.length);
                    continue;
                }
                switch (fault) {
                    case DROP -> {
                    }
                    case DELAY -> delayer.schedule(() -> {
                        try {
                            send(out, frame, frame.length);
                        } catch (IOException ignored) {
                            // the client went away meanwhile
                        }
                    }, delayMillis, TimeUnit.MILLISECONDS);
                    case TRUNCATE -> send(out, frame, frame.length / 2);
                    case CORRUPT_HEADER -> {
                        frame[2] = 0x12;
                        send(out, frame, frame.length);
                    }
                    case CORRUPT_PDU -> {
                        frame[8] = (byte) (frame[8] + 2);
                        send(out, frame, frame.length);
                    }
                }
            }
        } catch (IOException ignored) {
            // a side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void send(OutputStream out, byte[] frame, int length) throws IOException {
        synchronized (out) {
            out.write(frame, 0, length);
            out.flush();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(ModbusFaultProxy::closeQuietly);
        delayer.shutdownNow();
    }
}
