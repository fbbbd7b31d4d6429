package org.openess.gateway.storage.buffer;

import java.util.List;

import org.openess.gateway.decode.Alarm;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.profile.TableLayout;

/**
 * One unit of writing: rows of one layout, or quality events, gap events or alarm starts and ends. Buffers track the
 * batches they hand out by identity (a spool acknowledges the sequence numbers behind each one),
 * so two batches with equal contents are still two batches.
 */
public sealed interface Batch permits Batch.Rows, Batch.Quality, Batch.Gaps, Batch.Alarms {

    int size();

    String describe();

    record Rows(TableLayout layout, List<DecodedRow> rows) implements Batch {
        @Override
        public int size() {
            return rows.size();
        }

        @Override
        public String describe() {
            return rows.size() + " " + layout.table() + " row(s)";
        }
    }

    record Quality(List<QualityEvent> events) implements Batch {
        @Override
        public int size() {
            return events.size();
        }

        @Override
        public String describe() {
            return events.size() + " quality record(s)";
        }
    }

    record Gaps(List<GapEvent> gaps) implements Batch {
        @Override
        public int size() {
            return gaps.size();
        }

        @Override
        public String describe() {
            return gaps.size() + " gap record(s)";
        }
    }

    /** Starts and ends of alarms, in the order they happened; storing one again changes nothing. */
    record Alarms(List<Alarm> alarms) implements Batch {
        @Override
        public int size() {
            return alarms.size();
        }

        @Override
        public String describe() {
            return alarms.size() + " alarm record(s)";
        }
    }
}
