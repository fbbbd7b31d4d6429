package org.openess.gateway.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openess.gateway.testsupport.UnitTest;

/** Which starts are spread, and that the offsets stay inside the spread. */
@UnitTest
class StartSpreadTest {

    @Test
    void aSiteNoLargerThanTheConnectPermitsStartsAtOnceALargerOneIsSpread() {
        Duration spread = Duration.ofSeconds(1);
        assertEquals(Duration.ZERO, StartSpread.effective(spread, 10, 64));
        assertEquals(Duration.ZERO, StartSpread.effective(spread, 64, 64));
        assertEquals(spread, StartSpread.effective(spread, 65, 64));
        assertEquals(spread, StartSpread.effective(spread, 200, 8));
        assertEquals(Duration.ZERO, StartSpread.effective(Duration.ZERO, 5000, 64));
    }

    @Test
    void offsetsLieInsideTheSpreadAndAreZeroWithoutOne() {
        for (int i = 0; i < 1000; i++) {
            long offset = StartSpread.offsetMillis("site-" + i, Duration.ofSeconds(1));
            assertTrue(offset >= 0 && offset < 1000, "offset " + offset);
            assertEquals(0, StartSpread.offsetMillis("site-" + i, Duration.ZERO));
        }
    }
}
