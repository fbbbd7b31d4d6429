package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.storage.buffer.MemoryRowBuffer;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.CycleOutput;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.decode.GapEvent;
import org.openess.gateway.decode.QualityEvent;
import org.openess.gateway.retry.Backoff;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Schema evolution and idempotent writes against a real TimescaleDB. */
@DbTest
class StorageTest {
    static TestDatabase db;
    static Vertx vertx;
    static Pool pool;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("storage");
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(new PgConnectOptions().setHost(db.host())
                .setPort(db.port()).setDatabase(db.name()).setUser(db.user()).setPassword(db.password())).using(vertx).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
        vertx.close();
        db.close();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Profile profile(String yaml) {
        return ProfileLoader.parse("test.yaml", yaml.getBytes());
    }

    static List<TableLayout> layouts(Profile p) {
        return List.copyOf(CycleDecoder.layoutsOf(p).values());
    }

    static final String V1 = """
            name: meter
            areas: [{name: A, function: holding-registers, start: 0, count: 20}]
            tables:
              - name: meter
                constants: {BANK_ID: 1}
                group: {column: RACK_ID, count: 2, stride: 10}
                points:
                  - {column: VOLTS, address: 0, type: uint16, scale: 0.1}
                  - {column: STATE, address: 1, type: uint16}
            """;

    @Test
    void aColumnAddedToTheProfileIsAddedToTheTableAndATypeChangeIsRefused() throws Exception {
        SchemaManager schema = new SchemaManager(true, Duration.ofDays(1));
        await(schema.apply(pool, layouts(profile(V1))));
        assertTrue(schema.hypertables());
        await(schema.apply(pool, layouts(profile(V1)))); // a second start changes nothing
        Profile withAmps = profile(V1.replace("      - {column: STATE",
                "      - {column: AMPS, address: 2, type: int16, scale: 0.01}\n      - {column: STATE"));
        await(schema.apply(pool, layouts(withAmps)));
        assertEquals(List.of(List.of("TIMESTAMP", "timestamptz"), List.of("SITE_ID", "text"), List.of("BANK_ID", "int4"),
                List.of("RACK_ID", "int4"), List.of("VOLTS", "float8"), List.of("STATE", "int4"), List.of("AMPS", "float8")),
                db.query("SELECT column_name::text, udt_name::text FROM information_schema.columns WHERE table_name = 'meter' "
                        + "ORDER BY ordinal_position"));
        Profile retyped = profile(V1.replace("{column: STATE, address: 1, type: uint16}",
                "{column: STATE, address: 1, type: uint16, scale: 0.5}"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(schema.apply(pool, layouts(retyped))));
        assertEquals("table \"meter\" column \"STATE\" is int4 in the database but float8 in the profile; migrate the column or "
                + "rename it", e.getCause().getMessage());
        assertEquals(List.of(List.of("SITE_ID"), List.of("TIMESTAMP"), List.of("BANK_ID"), List.of("RACK_ID")),
                db.query("SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        + "AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = 'meter_key'::regclass ORDER BY array_position(i.indkey, a.attnum)"));
    }

    @Test
    void replayedCyclesAreStoredOnceAndAFullBufferDropsNewCycles() throws Exception {
        TableLayout layout = createTable("replay");
        long tick = 1_700_000_000_000L;
        MemoryRowBuffer buffer = new MemoryRowBuffer(8);
        RowWriter writer = writer(buffer, layout, 100, 20);
        CycleOutput cycle = cycle(layout, tick);
        writer.accept(cycle);
        writer.accept(cycle);
        // (2 rows + 1 quality + 1 gap) a cycle: the third would make 12 > 8 and is refused whole
        writer.accept(cycle(layout, tick + 1000));
        assertEquals(2, buffer.counters().rowsDropped());
        assertEquals(1, buffer.counters().cyclesDropped());
        // per table: the dropped cycle's two rows, and its quality record under ess_quality
        assertEquals(2, buffer.counters().droppedByTable().get(layout.table()));
        assertEquals(1, buffer.counters().droppedByTable().get("ess_quality"));
        assertEquals(java.util.Set.of(layout.table(), "ess_quality"), buffer.counters().droppedByTable().view().keySet());
        writer.start();
        writer.schemaReady();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> buffer.size() == 0);
        assertEquals(2, db.count("SELECT count(*) FROM replay"));
        assertEquals(2, writer.stats().rowsWritten());
        assertEquals(2, writer.stats().rowsDuplicate());
        assertEquals(2, writer.stats().writtenByTable().get(layout.table()));
        assertEquals(2, writer.stats().duplicateByTable().get(layout.table()));
        assertEquals(1, db.count("SELECT count(*) FROM ess_quality WHERE table_name = 'replay'"));
        assertEquals(2, db.count("SELECT count(*) FROM ess_gaps WHERE table_name = 'replay'"));
        // the dropped cycle is in ess_gaps with its reason, not only counted: both rows and the gap it carried
        assertEquals(List.of(List.of(3, "dropped: memory buffer full (ess.storage.buffer-rows=8)")), db.query(
                "SELECT missing_rows, reason FROM ess_gaps WHERE table_name = 'replay' AND ts = to_timestamp(" + (tick + 1000) / 1000
                        + ")"));
        assertEquals(List.of(java.util.Arrays.asList("s1", 1, 2, 23.4, null)), db.query("SELECT \"SITE_ID\", \"BANK_ID\", \"RACK_ID\", \"VOLTS\", \"STATE\" "
                + "FROM replay WHERE \"RACK_ID\" = 2"));
        await(writer.stop());
    }

    @Test
    void theMemoryBufferWakesTheWriterWhenABatchIsReady() throws Exception {
        TableLayout layout = createTable("wake");
        long tick = 1_700_000_000_000L;
        MemoryRowBuffer buffer = new MemoryRowBuffer(1000);
        // a flush interval far beyond the test: only the buffer's own wake-up can start a write
        RowWriter writer = writer(buffer, layout, 8, 3_600_000);
        writer.start();
        writer.schemaReady();
        // two cycles of (2 rows + 1 quality + 1 gap): 8 records, one batch
        writer.accept(cycle(layout, tick));
        writer.accept(cycle(layout, tick + 1000));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> buffer.size() == 0);
        assertEquals(4, db.count("SELECT count(*) FROM wake"));
        await(writer.stop());
    }

    @Test
    void theMemoryBufferCallsItsWakeUpOnceABatchIsHeldAndOutsideItsLock() {
        TableLayout layout = layouts(profile(V1)).get(0);
        MemoryRowBuffer buffer = new MemoryRowBuffer(10);
        List<Boolean> wakeUps = new java.util.ArrayList<>();
        buffer.onReady(8, () -> wakeUps.add(Thread.holdsLock(buffer)));
        buffer.offer(cycle(layout, 1_000));
        assertEquals(List.of(), wakeUps, "4 of 8 records: not a batch yet");
        buffer.offer(cycle(layout, 2_000));
        assertEquals(List.of(false), wakeUps, "8 records: one wake-up, the buffer's lock not held");
        buffer.offer(cycle(layout, 3_000));
        assertEquals(1, buffer.counters().cyclesDropped());
        assertEquals(List.of(false), wakeUps, "a dropped cycle wakes nobody");
    }

    /** V1's table under another name, created in the database. */
    private static TableLayout createTable(String name) throws Exception {
        List<TableLayout> layouts = layouts(profile(V1.replace("- name: meter\n", "- name: " + name + "\n")));
        await(new SchemaManager(true, Duration.ofDays(1)).apply(pool, layouts));
        return layouts.get(0);
    }

    private static RowWriter writer(MemoryRowBuffer buffer, TableLayout layout, int batchRows, long flushMillis) {
        return new RowWriter(vertx, pool, buffer, List.of(layout), batchRows, 2, flushMillis,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)));
    }

    private static CycleOutput cycle(TableLayout layout, long tick) {
        DecodedRow r1 = new DecodedRow(layout, "s1", tick);
        DecodedRow r2 = new DecodedRow(layout, "s1", tick);
        for (DecodedRow r : List.of(r1, r2)) {
            r.setLong(0, 1);
            r.setDouble(2, 23.4);
        }
        r1.setLong(1, 1);
        r2.setLong(1, 2);
        r1.setLong(3, 7);
        r2.setNull(3);
        return new CycleOutput("s1", tick, List.of(r1, r2),
                List.of(new QualityEvent("s1", tick, layout.table(), 2, "STATE", new int[] { 9 }, 9, "max 3")),
                List.of(new GapEvent("s1", tick, layout.table(), 1, "read fc3 0+2: timeout")));
    }

}
