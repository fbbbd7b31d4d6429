package org.openess.gateway.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.simulator.SimulatedDevice;
import org.openess.gateway.simulator.SimulatorServer;
import org.openess.gateway.testsupport.PtyPair;
import org.openess.gateway.testsupport.SerialDeviceEnd;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What {@link SerialBusTest} runs against: a fresh database, and two serial lines made of socat
 * pseudo-terminal pairs, one at 9,600 and one at 115,200 baud, each with two simulated devices
 * (units 1 and 2) on its far end and three gateway devices on its near end (units 1, 2 and the
 * silent 3). Held in statics: the resource and the test share the JVM.
 */
public class SerialBusResource implements QuarkusTestResourceLifecycleManager {
    static final String PROFILE = """
            name: rtu-meter
            areas:
              - {name: M, function: holding-registers, start: 0, count: 8}
            tables:
              - name: rtu_meter
                points:
                  - {column: BATTERY_SOC, address: 0, type: uint16}
                  - {column: BATTERY_SOH, address: 1, type: uint16}
                  - {column: DC_VOLTAGE, address: 2, type: uint16}
                  - {column: RACK_TEMPERATURE, address: 3, type: uint16}
                  - {column: GRID_FREQUENCY, address: 4, type: uint16}
                  - {column: ROOM_HUMIDITY, address: 5, type: uint16}
                  - {column: CELL_VOLTAGE, address: 6, type: uint16}
                  - {column: RACK_STATUS, address: 7, type: uint16}
            """;
    static final String[] COLUMNS = { "BATTERY_SOC", "BATTERY_SOH", "DC_VOLTAGE", "RACK_TEMPERATURE", "GRID_FREQUENCY", "ROOM_HUMIDITY",
            "CELL_VOLTAGE", "RACK_STATUS" };

    /** One serial line: its pty pair, its devices' far end, and what they served. */
    record Line(String name, int baudRate, PtyPair pty, SerialDeviceEnd end, SimulatorServer.ServedLog served) {
    }

    static TestDatabase db;
    static final Map<String, Line> LINES = new HashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("ess-serial");
            Path profileFile = dir.resolve("rtu-meter.yaml");
            Files.writeString(profileFile, PROFILE);
            Profile profile = ProfileLoader.load(profileFile.toString());
            db = TestDatabase.create("serialbus");
            toClose.add(db);
            Map<String, String> c = new HashMap<>(db.quarkusConfig());
            c.put("ess.modbus.start-spread", "0s");
            c.put("ess.modbus.reconnect-min", "100ms");
            c.put("ess.modbus.reconnect-max", "1s");
            for (Object[] l : new Object[][] { { "a", 9600, "300ms" }, { "b", 115200, "100ms" } }) {
                String name = (String) l[0];
                int baud = (Integer) l[1];
                PtyPair pty = new PtyPair(dir.resolve("tty-gw-" + name), dir.resolve("tty-dev-" + name));
                SimulatorServer.ServedLog served = new SimulatorServer.ServedLog(50_000);
                SerialDeviceEnd end = new SerialDeviceEnd(pty.device(), baud,
                        List.of(new SimulatedDevice(profile, 0, 0), new SimulatedDevice(profile, 1, 0)), served);
                toClose.add(end);
                toClose.add(pty);
                LINES.put(name, new Line(name, baud, pty, end, served));
                for (int unit = 1; unit <= 3; unit++) {
                    String key = "ess.devices." + name + unit + ".";
                    // the four lines a serial device needs, plus its profile and timeout
                    c.put(key + "transport", "rtu");
                    c.put(key + "serial-port", pty.gateway().toString());
                    c.put(key + "baud-rate", Integer.toString(baud));
                    c.put(key + "unit-id", Integer.toString(unit));
                    c.put(key + "profile", profileFile.toString());
                    c.put(key + "timeout", (String) l[2]);
                }
            }
            return c;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // the class is over
            }
        }
        toClose.clear();
        LINES.clear();
    }
}
