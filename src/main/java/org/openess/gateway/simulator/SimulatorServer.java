package org.openess.gateway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.openess.gateway.profile.FunctionCode;
import org.openess.gateway.profile.Profile;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * A Modbus TCP server for N simulated devices on consecutive ports (device i on basePort + i).
 * Answers read functions 01-04 inside the profile's areas; anything else gets the Modbus
 * exception a real device would send. Written directly against the wire format (not with the
 * client's j2mod code) so that it checks the client rather than mirroring it.
 */
public final class SimulatorServer {
    private static final Logger LOG = Logger.getLogger(SimulatorServer.class);

    private final Vertx vertx;
    private final Profile profile;
    private final String kind;
    private final String host;
    private final int basePort;
    private final List<SimulatedRegisters> devices = new ArrayList<>();
    private final List<NetServer> servers = new ArrayList<>();
    public final AtomicLong requests = new AtomicLong();
    private volatile long responseDelayMillis;
    private volatile ServedLog servedLog;
    /** All devices as units 1..N of one RTU bus on the base port, instead of Modbus TCP on a port each. */
    private boolean rtuOverTcp;

    /** One answered read, for tests that compare stored rows with what was served. */
    public record Served(int device, long atMillis, FunctionCode function, int start, int[] values) {
    }

    /** A bounded record of answered reads (oldest dropped first); off unless a test asks for it. */
    public static final class ServedLog {
        private final java.util.ArrayDeque<Served> entries = new java.util.ArrayDeque<>();
        private final int capacity;

        public ServedLog(int capacity) {
            this.capacity = capacity;
        }

        synchronized void add(Served s) {
            if (entries.size() == capacity) {
                entries.pollFirst();
            }
            entries.addLast(s);
        }

        public synchronized List<Served> snapshot() {
            return List.copyOf(entries);
        }
    }

    public SimulatorServer(Vertx vertx, Profile profile, int deviceCount, String host, int basePort, int glitchEvery) {
        this(vertx, profile, profile.name(), devicesOf(profile, deviceCount, glitchEvery), host, basePort);
    }

    /** Serves devices that are not described by a profile (SunSpec chains); {@code kind} names them in the log. */
    public SimulatorServer(Vertx vertx, String kind, List<? extends SimulatedRegisters> devices, String host, int basePort) {
        this(vertx, null, kind, devices, host, basePort);
    }

    private SimulatorServer(Vertx vertx, Profile profile, String kind, List<? extends SimulatedRegisters> devices, String host,
            int basePort) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("--devices must be at least 1, got 0");
        }
        if (basePort < 1 || basePort + devices.size() - 1 > 65535) {
            throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + devices.size() - 1)
                    + " are not all valid TCP ports");
        }
        this.vertx = vertx;
        this.profile = profile;
        this.kind = kind;
        this.host = host;
        this.basePort = basePort;
        this.devices.addAll(devices);
    }

    private static List<SimulatedDevice> devicesOf(Profile profile, int deviceCount, int glitchEvery) {
        if (deviceCount < 1) {
            throw new IllegalArgumentException("--devices must be at least 1, got " + deviceCount);
        }
        List<SimulatedDevice> out = new ArrayList<>();
        for (int i = 0; i < deviceCount; i++) {
            out.add(new SimulatedDevice(profile, i, glitchEvery));
        }
        return out;
    }

    /** See {@link SimulatedDevice#excursionEvery}; 0 = never. */
    public void setExcursionEvery(int seconds) {
        devices.forEach(d -> {
            if (d instanceof SimulatedDevice sd) {
                sd.excursionEvery(seconds); // SunSpec chains have no rack temperatures
            }
        });
    }

    /** Delays every answer, to simulate a slow device or link (0 = answer at once). */
    public void setResponseDelayMillis(long millis) {
        this.responseDelayMillis = millis;
    }

    public void recordServed(ServedLog log) {
        this.servedLog = log;
    }

    /** The profile-based devices (empty for SunSpec chains). */
    public List<SimulatedDevice> devices() {
        return devices.stream().filter(SimulatedDevice.class::isInstance).map(SimulatedDevice.class::cast).toList();
    }

    public List<SimulatedRegisters> registers() {
        return devices;
    }

    /** The profile served, or null when the devices are SunSpec chains. */
    public Profile profile() {
        return profile;
    }

    public int basePort() {
        return basePort;
    }

    /**
     * Serves every device as a unit of one Modbus RTU bus over TCP on the base port (device i is
     * unit i + 1), as a serial-to-Ethernet converter passes the bus on; call before {@link #start}.
     */
    public SimulatorServer rtuOverTcp() {
        if (devices.size() > 247) {
            throw new IllegalArgumentException("an RTU bus has at most 247 units, --devices is " + devices.size());
        }
        this.rtuOverTcp = true;
        return this;
    }

    public Future<Void> start() {
        if (rtuOverTcp) {
            NetServer server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(basePort).setTcpNoDelay(true)
                    .setReuseAddress(true));
            server.connectHandler(this::serveRtu);
            servers.add(server);
            return server.listen().<Void>mapEmpty()
                    .onSuccess(v -> LOG.infof("simulating %d %s device(s) as units 1-%d of an RTU bus over TCP on %s:%d", devices.size(),
                            kind, devices.size(), host, basePort))
                    .recover(e -> stop().compose(v -> Future.failedFuture(
                            new IllegalStateException("cannot listen on " + host + ":" + basePort + ": " + e.getMessage(), e))));
        }
        List<Future<NetServer>> started = new ArrayList<>();
        for (SimulatedRegisters device : devices) {
            NetServer server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(basePort + device.index())
                    .setTcpNoDelay(true).setReuseAddress(true).setAcceptBacklog(128));
            server.connectHandler(socket -> serve(device, socket));
            servers.add(server);
            started.add(server.listen());
        }
        return Future.all(started).<Void>mapEmpty()
                .onSuccess(v -> LOG.infof("simulating %d %s device(s) on %s:%d-%d", devices.size(), kind, host, basePort,
                        basePort + devices.size() - 1))
                .recover(e -> stop().compose(v -> Future.failedFuture(new IllegalStateException(
                        "cannot listen on " + host + ":" + basePort + "-" + (basePort + devices.size() - 1) + ": " + e.getMessage(), e))));
    }

    public Future<Void> stop() {
        List<Future<Void>> closed = new ArrayList<>();
        servers.forEach(s -> closed.add(s.close()));
        servers.clear();
        return Future.join(closed).mapEmpty();
    }

    private void serve(SimulatedRegisters device, NetSocket socket) {
        RecordParser parser = RecordParser.newFixed(7);
        int[] header = { -1, 0, 0 }; // pdu length (-1: reading a header), transaction id, unit id
        parser.handler(buf -> {
            if (header[0] < 0) {
                int protocol = buf.getUnsignedShort(2);
                int length = buf.getUnsignedShort(4);
                if (protocol != 0 || length < 2 || length > 254) {
                    socket.close(); // a real device drops a connection that is out of step
                    return;
                }
                header[1] = buf.getUnsignedShort(0);
                header[2] = buf.getUnsignedByte(6);
                header[0] = length - 1;
                parser.fixedSizeMode(length - 1);
            } else {
                byte[] pdu = buf.getBytes();
                header[0] = -1;
                parser.fixedSizeMode(7);
                requests.incrementAndGet();
                long now = System.currentTimeMillis();
                Buffer answer = respond(device, header[1], header[2], pdu, now, servedLog);
                long delay = responseDelayMillis;
                if (delay > 0) {
                    vertx.setTimer(delay, id -> socket.write(answer));
                } else {
                    socket.write(answer);
                }
            }
        });
        socket.handler(parser);
        socket.exceptionHandler(e -> socket.close());
    }

    private void serveRtu(NetSocket socket) {
        RtuSimulatedBus bus = new RtuSimulatedBus(devices, servedLog);
        socket.handler(data -> {
            Buffer answer = bus.accept(data.getBytes(), System.currentTimeMillis());
            if (answer.length() == 0) {
                return;
            }
            requests.incrementAndGet();
            long delay = responseDelayMillis;
            if (delay > 0) {
                vertx.setTimer(delay, id -> socket.write(answer));
            } else {
                socket.write(answer);
            }
        });
        socket.exceptionHandler(e -> socket.close());
    }

    /** FunctionCode.values() copies its array on every call. */
    private static final FunctionCode[] FUNCTIONS = FunctionCode.values();

    /** The answer frame of {@code device} to one request PDU (public for tests that build their own servers). */
    public static Buffer respond(SimulatedRegisters device, int tid, int unit, byte[] pdu, long now, ServedLog log) {
        int fc = pdu[0] & 0xFF;
        FunctionCode function = fc >= 1 && fc <= 4 ? FUNCTIONS[fc - 1] : null;
        if (function == null) {
            return exception(tid, unit, fc, 1);
        }
        if (pdu.length != 5) {
            return exception(tid, unit, fc, 3);
        }
        int start = ((pdu[1] & 0xFF) << 8) | (pdu[2] & 0xFF);
        int count = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
        int max = function.isBitAddressed() ? 2000 : 125;
        if (count < 1 || count > max) {
            return exception(tid, unit, fc, 3);
        }
        int[] values = device.read(function, start, count, now);
        if (values == null) {
            return exception(tid, unit, fc, 2);
        }
        if (log != null) {
            log.add(new Served(device.index(), now, function, start, values));
        }
        // the frame is filled in one array and wrapped, not appended field by field (a thousand
        // devices answer 7,000 requests a second)
        int dataBytes = function.isBitAddressed() ? (count + 7) / 8 : 2 * count;
        byte[] frame = new byte[9 + dataBytes];
        writeHeader(frame, tid, unit, 3 + dataBytes);
        frame[7] = (byte) fc;
        frame[8] = (byte) dataBytes;
        if (function.isBitAddressed()) {
            for (int i = 0; i < count; i++) {
                if (values[i] != 0) {
                    frame[9 + i / 8] |= (byte) (1 << (i % 8));
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                frame[9 + 2 * i] = (byte) (values[i] >>> 8);
                frame[10 + 2 * i] = (byte) values[i];
            }
        }
        return Buffer.buffer(Unpooled.wrappedBuffer(frame));
    }

    private static void writeHeader(byte[] frame, int tid, int unit, int lengthAfterLengthField) {
        frame[0] = (byte) (tid >>> 8);
        frame[1] = (byte) tid;
        frame[4] = (byte) (lengthAfterLengthField >>> 8);
        frame[5] = (byte) lengthAfterLengthField;
        frame[6] = (byte) unit;
    }

    private static Buffer exception(int tid, int unit, int fc, int code) {
        byte[] frame = new byte[9];
        writeHeader(frame, tid, unit, 3);
        frame[7] = (byte) (fc | 0x80);
        frame[8] = (byte) code;
        return Buffer.buffer(Unpooled.wrappedBuffer(frame));
    }
}
