package org.openess.gateway.acquisition;

import java.util.List;

/**
 * One RTU bus as the operator side sees it (an immutable snapshot, any thread).
 *
 * @param name the serial port path, or {@code host:port} of the converter
 * @param transport {@code rtu} or {@code rtu-over-tcp}
 * @param serial the character format ({@code 9600 8E1}); null over TCP
 * @param devices the ids of the devices on the bus
 * @param pollIntervalMillis the shortest poll interval of its devices: the cycle the bus must fit in
 * @param busTimePerCycleMillis the bus time the latest cycle of every device took, summed: what one
 *        round of the whole bus needs
 * @param utilisation the share of the last period the bus was busy, 0..1
 * @param overBudget whether {@code busTimePerCycleMillis} exceeds {@code pollIntervalMillis}: the
 *        devices cannot all be read every cycle
 */
public record BusStatus(String name, String transport, String serial, List<String> devices, boolean connected, String lastError,
        long pollIntervalMillis, double busTimePerCycleMillis, double utilisation, boolean overBudget, long requests, long timeouts,
        long crcErrors, long framesDiscarded, long busyNanos) {
}
