package org.openess.gateway.modbus;


import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive timing for Modbus connections: probe after 30 s idle, then every 10 s, give up
 * after 3 probes, so a connection whose peer vanished is noticed within about a minute even when
 * nothing is sent (poll intervals up to an hour). The operating system's default is 2 h of idle.
 * Vert.x applies its keepalive idle/interval/count options only on the native transports, not on
 * the JDK (NIO) one Quarkus uses by default, so they are set on the channel here.
 */
final class TcpKeepAlive {
    private static final Logger LOG = Logger.getLogger(TcpKeepAlive.class);
    static final int IDLE_SECONDS = 30;
    static final int INTERVAL_SECONDS = 10;
    static final int PROBES = 3;

    private TcpKeepAlive() {
    }

    static void tune(NetSocket socket) {
        if (!(socket instanceof NetSocketInternal internal)) {
            return;
        }
        Channel channel = internal.channelHandlerContext().channel();
        try {
            channel.config().setOption(io.netty.channel.ChannelOption.SO_KEEPALIVE, true);
            if (channel instanceof io.netty.channel.socket.nio.NioSocketChannel) {
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), IDLE_SECONDS);
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), INTERVAL_SECONDS);
                channel.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), PROBES);
            }
        } catch (RuntimeException e) {
            // an OS without these options: the timeout rule still finds dead connections while polling
            LOG.debugf("TCP keepalive timing not set: %s", e);
        }
    }

    /** The keepalive idle time the socket really has (seconds), or -1 when it cannot be read. */
    static int idleSeconds(NetSocket socket) {
        try {
            Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
            Integer idle = channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE));
            return idle == null ? -1 : idle;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
