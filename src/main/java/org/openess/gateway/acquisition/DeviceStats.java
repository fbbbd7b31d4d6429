package org.openess.gateway.acquisition;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one device, written by its poller's event loop and read by the status API. */
public final class DeviceStats {
    public final AtomicLong ticks = new AtomicLong();
    public final AtomicLong cyclesComplete = new AtomicLong();
    public final AtomicLong cyclesPartial = new AtomicLong();
    public final AtomicLong ticksMissed = new AtomicLong();
    public final AtomicLong readsOk = new AtomicLong();
    public final AtomicLong readsFailed = new AtomicLong();
    public final AtomicLong rows = new AtomicLong();
    public final AtomicLong gapRows = new AtomicLong();
    public final AtomicLong qualityEvents = new AtomicLong();
    public volatile long lastTickMillis;
    public volatile long lastCycleMicros;
    public volatile String lastError;
    public volatile boolean connected;
}
