package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

/**
 * Which buckets the refresher recomputes for recorded late rows: whole buckets, below the
 * watermark only (above it the next materialization takes the rows), not before the raw retention,
 * overlaps merged, and no statement over more than a day of raw time.
 */
@UnitTest
class RollupSlicesTest {
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration M15 = Duration.ofMinutes(15);

    @Test
    void lateRangesBecomeWholeBucketsBelowTheWatermark() {
        List<Instant[]> late = List.of(range("00:20:05", "00:20:05"), range("00:31:00", "00:44:59"), range("02:00:00", "03:10:00"));
        assertEquals(List.of("00:15-00:45", "02:00-02:30"), show(RollupRefresher.slices(late, M15, at("02:30:00"), Instant.MIN)));
    }

    @Test
    void aRangeOverSeveralDaysIsCutIntoDays() {
        List<Instant[]> late = List.<Instant[]>of(new Instant[] { T, T.plus(Duration.ofHours(50)) });
        List<Instant[]> s = RollupRefresher.slices(late, M15, T.plus(Duration.ofDays(5)), Instant.MIN);
        assertEquals(3, s.size());
        assertEquals(T.plus(Duration.ofDays(1)), s.get(0)[1]);
        assertEquals(T.plus(Duration.ofHours(50)).plus(M15), s.get(2)[1]);
    }

    @Test
    void nothingBeforeTheCutoffNorAboveTheWatermark() {
        List<Instant[]> late = List.of(range("00:00:00", "01:00:00"), range("05:00:00", "06:00:00"));
        assertEquals(List.of("00:45-01:15"), show(RollupRefresher.slices(late, M15, at("04:00:00"), at("00:40:00"))));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-12-01T" + time + "Z");
    }

    private static Instant[] range(String from, String to) {
        return new Instant[] { at(from), at(to) };
    }

    private static List<String> show(List<Instant[]> slices) {
        return slices.stream().map(s -> s[0].toString().substring(11, 16) + "-" + s[1].toString().substring(11, 16)).toList();
    }
}
