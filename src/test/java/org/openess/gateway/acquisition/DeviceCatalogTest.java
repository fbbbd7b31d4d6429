package org.openess.gateway.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openess.gateway.config.EssConfig;
import org.openess.gateway.profile.ProfileException;
import org.openess.gateway.testsupport.TcpDeviceKeys;
import org.openess.gateway.testsupport.UnitTest;

/** Device settings are checked before anything starts, and the message names the key. */
@UnitTest
class DeviceCatalogTest {

    record Device(Optional<String> host, int port, int unitId, String profile, Duration pollInterval, Duration timeout,
            int maxRegisters, int maxGap, boolean enabled) implements TcpDeviceKeys {
        Device(String host, int port, int unitId, String profile, Duration pollInterval, Duration timeout, int maxRegisters,
                int maxGap, boolean enabled) {
            this(Optional.of(host), port, unitId, profile, pollInterval, timeout, maxRegisters, maxGap, enabled);
        }

        static Device ok() {
            return new Device("127.0.0.1", 502, 1, "operation1", Duration.ofSeconds(1), Duration.ofMillis(500), 125, 125, true);
        }
    }

    static String error(EssConfig.Device d) {
        return assertThrows(RuntimeException.class, () -> DeviceCatalog.fromConfig(Map.of("site1", d))).getMessage();
    }

    @Test
    void compilesOperation1Once() {
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", Device.ok());
        devices.put("b", Device.ok());
        DeviceCatalog catalog = DeviceCatalog.fromConfig(devices);
        assertEquals(2, catalog.devices().size());
        assertEquals(List.of("bank", "rack", "pcs", "etc"), catalog.layouts().stream().map(l -> l.table()).toList());
        assertEquals(7, catalog.devices().get(0).plan().reads().size());
        assertEquals(22, catalog.rowsPerSecond());
    }

    @Test
    void theSunSpecModelsAreReadOnlyForASunSpecDevice() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<org.openess.gateway.sunspec.SunSpecSupport> support = () -> {
            asked.incrementAndGet();
            return org.openess.gateway.sunspec.SunSpecSupport.builtin();
        };
        DeviceCatalog.fromConfig(Map.of("a", Device.ok()), support);
        assertEquals(0, asked.get(), "a site without SunSpec devices read the SunSpec models");
        Device sunspec = new Device("127.0.0.1", 502, 1, DeviceCatalog.SUNSPEC, Duration.ofSeconds(1), Duration.ofMillis(500), 125, 125, true);
        DeviceCatalog.fromConfig(Map.of("a", Device.ok(), "b", sunspec, "c", sunspec), support);
        assertEquals(1, asked.get(), "the models are read once for all SunSpec devices");
    }

    @Test
    void refusesADeviceIdThatCannotBeASiteId() {
        // the other values are constraints on EssConfig.Device, see startup/InvalidConfigStartupTest
        String tooLong = "s".repeat(65);
        assertEquals("ess.devices.\"" + tooLong + "\".: the device id (stored as SITE_ID) must be 1..64 characters",
                assertThrows(IllegalArgumentException.class, () -> DeviceCatalog.fromConfig(Map.of(tooLong, Device.ok()))).getMessage());
    }

    @Test
    void aLowerMaxRegistersMeansMoreReads() {
        Device ok = Device.ok();
        DeviceCatalog catalog = DeviceCatalog.fromConfig(Map.of("s",
                new Device(ok.host(), 502, 1, ok.profile(), ok.pollInterval(), ok.timeout(), 50, 125, true)));
        assertEquals(12, catalog.devices().get(0).plan().reads().size());
        catalog.devices().get(0).plan().reads().forEach(r -> org.junit.jupiter.api.Assertions.assertTrue(r.count() <= 50));
    }

    @Test
    void aProfileErrorNamesTheDevice() {
        Device ok = Device.ok();
        String message = error(new Device(ok.host(), 502, 1, "/nonexistent/x.yaml", ok.pollInterval(), ok.timeout(), 125, 125, true));
        assertEquals("device 'site1' (ess.devices.\"site1\".profile): /nonexistent/x.yaml: profile file not found", message);
    }

    @Test
    void twoProfilesMustAgreeOnSharedColumns() throws Exception {
        Path other = Files.createTempFile("other", ".yaml");
        Files.writeString(other, """
                name: other
                areas: [{name: A, function: holding-registers, start: 0, count: 10}]
                tables:
                  - name: bank
                    constants: {BANK_ID: 1}
                    points:
                      - {column: BANK_SOC, address: 0, type: uint16}
                """);
        Device ok = Device.ok();
        Map<String, EssConfig.Device> devices = new LinkedHashMap<>();
        devices.put("a", ok);
        devices.put("b", new Device(ok.host(), 502, 1, other.toString(), ok.pollInterval(), ok.timeout(), 125, 125, true));
        ProfileException e = assertThrows(ProfileException.class, () -> DeviceCatalog.fromConfig(devices));
        assertEquals("table 'bank' column \"BANK_SOC\" is int4 in " + other + " but float8 in builtin:operation1", e.getMessage());
    }

    /** {@link Device#ok()} with other pacing. */
    record Paced(Duration requestGap, Duration connectDelay) implements TcpDeviceKeys {
        public Optional<String> host() {
            return Device.ok().host();
        }
    }

    @Test
    void pacingIsCarriedToTheDevice() {
        DeviceDefinition d = DeviceCatalog.fromConfig(Map.of("s", new Paced(Duration.ofMillis(20), Duration.ofSeconds(2)))).devices().get(0);
        assertEquals(Duration.ofMillis(20), d.requestGap());
        assertEquals(Duration.ofSeconds(2), d.connectDelay());
        assertEquals("127.0.0.1:502", d.endpoint());
    }
}
