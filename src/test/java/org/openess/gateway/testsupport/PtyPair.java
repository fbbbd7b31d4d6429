package org.openess.gateway.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair from socat (Debian's {@code socat}): two links, each a serial port for
 * whoever opens it, wired to each other. {@link #unplug()} kills socat and deletes the links, as
 * when a USB adapter is pulled out (the device path disappears); {@link #plugIn()} makes new ones
 * at the same paths (new ptys behind them, as a replugged adapter gets a new tty).
 */
public final class PtyPair implements AutoCloseable {
    private final Path gateway;
    private final Path device;
    private Process socat;

    public PtyPair(Path gateway, Path device) {
        this.gateway = gateway;
        this.device = device;
        plugIn();
    }

    /** The gateway's end: configured as {@code serial-port}. */
    public Path gateway() {
        return gateway;
    }

    /** The device's end: served by a {@link SerialDeviceEnd}. */
    public Path device() {
        return device;
    }

    public synchronized void plugIn() {
        if (socat != null) {
            return;
        }
        try {
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + gateway, "pty,raw,echo=0,link=" + device)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start socat (apt-get install socat)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(gateway) || !Files.exists(device)) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                throw new IllegalStateException("socat did not create " + gateway + " and " + device);
            }
            sleep(20);
        }
    }

    public synchronized void unplug() {
        if (socat == null) {
            return;
        }
        socat.destroy();
        try {
            socat.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(gateway);
            Files.deleteIfExists(device);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socat = null;
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
        unplug();
    }
}
