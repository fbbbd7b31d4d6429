package org.openess.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

/** {@code ess.timescale.*}: off or durations, the rollup list, and the bounds that involve two keys. */
@UnitTest
class TimescaleSettingsTest {

    record Keys(String compressAfter, String rollups, String retainRaw, String retainRollups) {
    }

    private static TimescaleSettings from(Keys k) {
        return TimescaleSettings.of(k.compressAfter(), k.rollups(), k.retainRaw(), k.retainRollups());
    }

    @Test
    void theDefaultsParseToTheDocumentedSettings() {
        assertEquals(TimescaleSettings.DEFAULTS, from(new Keys("2d", "1m,15m", "off", "off")));
    }

    @Test
    void offAndDurationsInEveryForm() {
        TimescaleSettings s = from(new Keys("off", "off", "36h", "PT216H"));
        assertEquals(Optional.empty(), s.compressAfter());
        assertEquals(List.of(), s.rollups());
        assertEquals(Optional.of(Duration.ofHours(36)), s.retainRaw());
        assertEquals(Optional.of(Duration.ofDays(9)), s.retainRollups());
        assertEquals(List.of(new TimescaleSettings.Rollup("5m", Duration.ofMinutes(5)), new TimescaleSettings.Rollup("1h", Duration.ofHours(1))),
                TimescaleSettings.rollups(" 5m , 1H "));
    }

    @Test
    void refusalsNameTheKeys() {
        assertRefused(new Keys("2d", "1m,15m", "7d", "off"), "ess.timescale.retain-raw=7d is shorter than 8d while ess.timescale.rollups=1m,15m");
        assertRefused(new Keys("2d", "off", "30d", "10d"), "ess.timescale.retain-rollups=10d is shorter than ess.timescale.retain-raw=30d");
        assertRefused(new Keys("2d", "off", "off", "2d"), "ess.timescale.retain-rollups=2d is shorter than 8d");
        assertRefused(new Keys("2d", "15m,1m", "off", "off"), "finest first");
        assertRefused(new Keys("2d", "7m", "off", "off"), "7m must be between 1m and 1d and divide a day");
        assertRefused(new Keys("2d", "30s", "off", "off"), "'30s' is not a bucket width");
        assertRefused(new Keys("soon", "off", "off", "off"), "ess.timescale.compress-after='soon' is neither off nor a duration");
        // without rollups a day is enough: the archive verifies what is dropped
        assertEquals(Optional.of(Duration.ofDays(1)), from(new Keys("2d", "off", "1d", "off")).retainRaw());
    }

    @Test
    void theSingleKeyConstraintTellsOffFromDurationsAndBounds() {
        DurationOrOff.Validator v = new DurationOrOff.Validator();
        v.initialize(bound(24));
        assertTrue(v.isValid("off", null));
        assertTrue(v.isValid("30d", null));
        assertTrue(v.isValid("24h", null));
    }

    private static DurationOrOff bound(long hours) {
        return new DurationOrOff() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return DurationOrOff.class;
            }

            @Override
            public String message() {
                return "";
            }

            @Override
            public long minHours() {
                return hours;
            }

            @Override
            public Class<?>[] groups() {
                return new Class<?>[0];
            }

            @SuppressWarnings("unchecked")
            @Override
            public Class<? extends jakarta.validation.Payload>[] payload() {
                return new Class[0];
            }
        };
    }

    private static void assertRefused(Keys keys, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(keys));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
