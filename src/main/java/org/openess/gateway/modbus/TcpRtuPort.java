package org.openess.gateway.modbus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * RTU frames (with CRC) on a TCP connection, as cheap serial-to-Ethernet converters carry them in
 * their "transparent" or "raw TCP" mode: no MBAP header, the bytes of the serial line as they are.
 */
public final class TcpRtuPort implements RtuPort {
    private final NetClient client;
    private final String host;
    private final int port;
    private NetSocket socket;

    public TcpRtuPort(NetClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<Void> open(Listener listener) {
        Promise<Void> opened = Promise.promise();
        client.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                opened.fail("connect to " + address() + " failed: " + ar.cause().getMessage());
                return;
            }
            NetSocket s = ar.result();
            TcpKeepAlive.tune(s);
            socket = s;
            s.handler(b -> {
                if (socket == s) {
                    listener.data(b.getBytes());
                }
            });
            s.closeHandler(v -> {
                if (socket == s) {
                    socket = null;
                    listener.lost("connection closed by " + address());
                }
            });
            s.exceptionHandler(e -> {
                if (socket == s) {
                    socket = null;
                    s.close();
                    listener.lost("connection error: " + e.getMessage());
                }
            });
            opened.complete();
        });
        return opened.future();
    }

    @Override
    public void discardInput() {
        // bytes already received were handed to the receiver, which drops them when no request is on the wire
    }

    @Override
    public void write(byte[] frame) {
        NetSocket s = socket;
        if (s != null) {
            s.write(Buffer.buffer(frame));
        }
    }

    @Override
    public void close() {
        NetSocket s = socket;
        socket = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String address() {
        return host + ":" + port;
    }

    @Override
    public long charNanos() {
        return 0;
    }

    @Override
    public boolean reopenWhenSilent() {
        return true;
    }
}
