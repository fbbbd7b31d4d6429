package org.openess.gateway.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.decode.DecodedRow;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.testsupport.DbTest;
import org.openess.gateway.testsupport.TestDatabase;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The writer's pool keeps operation1's long row INSERTs prepared on the server (one connection,
 * so pg_prepared_statements shows that connection's statements), where a pool with the client's
 * default SQL length limit prepares them afresh for every batch.
 */
@DbTest
class WriterPoolTest {
    static TestDatabase db;
    static Vertx vertx;
    static TableLayout pcs;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create("writerpool");
        vertx = Vertx.vertx();
        List<TableLayout> layouts = List.copyOf(CycleDecoder.layoutsOf(ProfileLoader.load("operation1")).values());
        pcs = layouts.stream().filter(l -> l.table().equals("pcs")).findFirst().orElseThrow();
        Pool setup = pool(options());
        try {
            await(new SchemaManager(true, Duration.ofDays(1)).apply(setup, layouts));
        } finally {
            setup.close();
        }
    }

    @AfterAll
    static void stop() {
        vertx.close();
        db.close();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static PgConnectOptions options() {
        return new PgConnectOptions().setHost(db.host()).setPort(db.port()).setDatabase(db.name()).setUser(db.user())
                .setPassword(db.password()).setCachePreparedStatements(true);
    }

    static Pool pool(PgConnectOptions options) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(vertx).build();
    }

    static List<DecodedRow> rows(long tick, int devices) {
        List<DecodedRow> rows = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            DecodedRow r = new DecodedRow(pcs, "D" + d, tick);
            for (int c = 0; c < pcs.width(); c++) {
                switch (pcs.columns().get(c).type()) {
                    case FLOAT8 -> r.setDouble(c, c + d / 10.0);
                    case TEXT -> r.setText(c, "t" + c);
                    default -> r.setLong(c, c % 2);
                }
            }
            rows.add(r);
        }
        return rows;
    }

    /** Writes three batches and returns how many INSERTs into pcs the connection holds prepared. */
    static long preparedAfterThreeBatches(Pool pool, long firstTick) throws Exception {
        String sql = InsertStatements.rowsSql(pcs);
        for (int i = 0; i < 3; i++) {
            int inserted = await(pool.preparedQuery(sql).execute(InsertStatements.rowsTuple(pcs, rows(firstTick + i * 1000L, 5))))
                    .rowCount();
            assertEquals(5, inserted);
        }
        return await(pool.query("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO \"pcs\"%'").execute())
                .iterator().next().getLong(0);
    }

    @Test
    void longInsertsStayPreparedPerConnection() throws Exception {
        String sql = InsertStatements.rowsSql(pcs);
        assertTrue(sql.length() > 2048, "the pcs INSERT is " + sql.length() + " characters; this test needs one past the client's default limit");

        Pool plain = pool(options());
        try {
            // the client's default: too long to cache, so nothing stays prepared
            assertEquals(0, preparedAfterThreeBatches(plain, 1_700_000_000_000L));
        } finally {
            plain.close();
        }

        List<PgConnectOptions> list = new ArrayList<>(List.of(options()));
        Pool writer = new WriterPool().create(new PgPoolCreator.Input() {
            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public PoolOptions poolOptions() {
                return new PoolOptions().setMaxSize(1);
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return list;
            }
        });
        try {
            assertEquals(1, preparedAfterThreeBatches(writer, 1_700_000_100_000L));
            long stored = await(writer.query("SELECT count(*) FROM pcs").execute()).iterator().next().getLong(0);
            assertEquals(30, stored);
        } finally {
            writer.close();
        }
    }
}
