package org.openess.gateway.alarm;

import java.util.ArrayList;
import java.util.List;

import org.openess.gateway.decode.Alarm;

/** The listener of a device's alarms in a test: keeps what was raised and what ended, in order. */
final class RecordedAlarms implements DeviceAlarms.Listener {
    final List<Alarm> raised = new ArrayList<>();
    final List<Alarm> ended = new ArrayList<>();

    @Override
    public void raised(Alarm alarm) {
        raised.add(alarm);
    }

    @Override
    public void ended(Alarm alarm) {
        ended.add(alarm);
    }
}
