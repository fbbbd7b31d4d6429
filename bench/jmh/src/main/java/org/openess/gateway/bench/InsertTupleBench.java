package org.openess.gateway.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.storage.InsertStatements;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.vertx.sqlclient.Tuple;

/**
 * The parameters of one batched INSERT (one array per column, unnested server-side) for a batch
 * of decoded rows of one table: 4,000 rack rows (the default batch) from 500 devices, and the
 * bank rows of 1,000 devices (one tick).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InsertTupleBench {
    @Param({ "rack", "bank", "pcs" })
    String table;

    List<DecodedRow> rows;

    @Setup
    public void setup() {
        Map<String, List<DecodedRow>> byTable = Fixtures.rowsByTable(1000);
        List<DecodedRow> all = byTable.get(table);
        rows = all.subList(0, Math.min(4000, all.size()));
    }

    @Benchmark
    public Tuple rowsTuple() {
        return InsertStatements.rowsTuple(rows.get(0).layout(), rows);
    }
}
