package org.openess.gateway.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.openess.gateway.config.TimescaleSettings;
import org.openess.gateway.config.TimescaleSettings.Rollup;
import org.openess.gateway.profile.SqlType;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * What the schema pass adds on top of the tables, by what the server offers:
 * <ul>
 * <li>the community edition ({@code timescaledb.license = timescale}): columnstore compression on
 * every hypertable (segmented by the device and the other key columns, ordered by time) with a
 * policy after {@code ess.timescale.compress-after}; the rollups as continuous aggregates with
 * real-time aggregation and refresh policies; the rollups' retention policy;</li>
 * <li>the Apache edition (the Debian package): the same rollups as tables the gateway refreshes
 * itself ({@link RollupTables}, {@link RollupRefresher}) behind views with real-time aggregation, no
 * compression and no policies (the license refuses them), said once;</li>
 * <li>plain PostgreSQL: nothing, said once.</li>
 * </ul>
 * Runs after the tables are committed, while the writer already writes to them, each step in a
 * transaction of its own: a step the server refuses is logged and tried again at the next start.
 */
public final class TimescaleFeatures {
    private static final Logger LOG = Logger.getLogger(TimescaleFeatures.class);

    public enum Edition {
        PLAIN, APACHE, COMMUNITY;

        public String label() {
            return switch (this) {
                case PLAIN -> "plain PostgreSQL";
                case APACHE -> "TimescaleDB (apache license)";
                case COMMUNITY -> "TimescaleDB (community license)";
            };
        }
    }

    /** A table of the gateway as the schema pass knows it. */
    record Shape(String table, String timeColumn, Map<String, SqlType> columns, List<String> key, boolean deviceTable) {
    }

    /** A table whose rollup tables the gateway refreshes (Apache edition), with the rollups that exist. */
    public record Target(Shape shape, List<Rollup> rollups) {
    }

    private final TimescaleSettings settings;
    private volatile Edition edition;
    private final Map<String, List<Rollup>> rollups = new ConcurrentHashMap<>();
    private final Map<String, Shape> shapes = new ConcurrentHashMap<>();
    private boolean explained;

    public TimescaleFeatures(TimescaleSettings settings) {
        this.settings = settings;
    }

    public TimescaleSettings settings() {
        return settings;
    }

    /** The edition the last schema pass found; null before. */
    public Edition edition() {
        return edition;
    }

    /** The rollups that exist for {@code table}, finest first (empty: read the raw rows). */
    public List<Rollup> rollupsOf(String table) {
        return rollups.getOrDefault(table, List.of());
    }

    /** The tables whose rollups {@link RollupRefresher} keeps (Apache edition only; empty otherwise). */
    public List<Target> maintained() {
        if (edition != Edition.APACHE) {
            return List.of();
        }
        List<Target> out = new ArrayList<>();
        rollups.forEach((t, list) -> {
            Shape s = shapes.get(t);
            if (s != null && !list.isEmpty()) {
                out.add(new Target(s, list));
            }
        });
        out.sort((a, b) -> a.shape().table().compareTo(b.shape().table()));
        return out;
    }

    Future<Edition> detect(Pool pool, boolean hypertables) {
        if (!hypertables) {
            return Future.succeededFuture(Edition.PLAIN);
        }
        return pool.query("SELECT current_setting('timescaledb.license', true)").execute()
                .map(rs -> "timescale".equalsIgnoreCase(rs.iterator().next().getString(0)) ? Edition.COMMUNITY : Edition.APACHE);
    }

    /** Never fails: what the server refuses is logged. */
    Future<Void> apply(Pool pool, Edition found, List<Shape> shapes) {
        edition = found;
        explain(found, shapes);
        Future<Void> chain = Future.succeededFuture();
        boolean own = found == Edition.APACHE && !settings.rollups().isEmpty();
        if (own) {
            chain = chain.compose(v -> step(pool, "rollup bookkeeping", RollupTables::setup).mapEmpty());
        }
        for (Shape s : shapes) {
            if (found == Edition.COMMUNITY) {
                chain = chain.compose(v -> compression(pool, s));
            }
            if (s.deviceTable() && found != Edition.PLAIN) {
                for (Rollup r : settings.rollups()) {
                    chain = chain.compose(v -> rollup(pool, s, r, found));
                }
            }
            if (s.deviceTable() && found == Edition.APACHE) {
                String trigger = own ? RollupTables.triggerSql(s.table()) : RollupTables.dropTriggerSql(s.table());
                chain = chain.compose(v -> step(pool, "late-row trigger of " + s.table(), c -> c.query(trigger).execute().mapEmpty())
                        .mapEmpty());
            }
        }
        return chain.otherwiseEmpty();
    }

    private synchronized void explain(Edition found, List<Shape> shapes) {
        if (explained) {
            return;
        }
        explained = true;
        String rollupList = settings.rollups().isEmpty() ? "off" : String.join(",", settings.rollups().stream().map(Rollup::label).toList());
        switch (found) {
            case PLAIN -> LOG.info("no TimescaleDB: compression, rollups and their policies are skipped (plain tables; "
                    + "the history reads the raw rows, retention deletes rows)");
            case APACHE -> LOG.infof("TimescaleDB's apache edition (timescaledb.license=apache): no compression, continuous "
                    + "aggregates or policies (community-licensed features); rollups (%s) are tables the gateway refreshes every %ds "
                    + "behind views that add the newest rows, ess.timescale.compress-after does nothing", rollupList,
                    RollupRefresher.PERIOD.toSeconds());
            case COMMUNITY -> LOG.infof("TimescaleDB community edition: compression after %s, rollups %s (continuous aggregates)",
                    settings.compressAfter().map(TimescaleSettings::label).orElse("off"), rollupList);
        }
    }

    private Future<Void> compression(Pool pool, Shape s) {
        List<String> segment = s.key().stream().filter(k -> !k.equals(s.timeColumn())).map(Sql::quote).toList();
        String table = Sql.literal(Sql.quote(s.table()));
        String enable = "ALTER TABLE " + Sql.quote(s.table()) + " SET (timescaledb.compress, timescaledb.compress_segmentby = "
                + Sql.literal(String.join(", ", segment)) + ", timescaledb.compress_orderby = "
                + Sql.literal(Sql.quote(s.timeColumn()) + " DESC") + ")";
        Future<Boolean> f = step(pool, "compression of " + s.table(), c -> c.query("SELECT compression_enabled FROM "
                + "timescaledb_information.hypertables WHERE hypertable_schema = current_schema() AND hypertable_name = "
                + Sql.literal(s.table())).execute().compose(rs -> rs.size() > 0 && Boolean.TRUE.equals(rs.iterator().next().getBoolean(0))
                        ? Future.succeededFuture() : c.query(enable).execute().mapEmpty()));
        // the policy is set again on every start: its interval follows ess.timescale.compress-after
        f = f.compose(v -> step(pool, "compression policy of " + s.table(), c -> c.query("SELECT remove_compression_policy("
                + table + ", if_exists => true)").execute().mapEmpty()));
        Optional<Duration> after = settings.compressAfter();
        if (after.isPresent()) {
            f = f.compose(v -> step(pool, "compression policy of " + s.table(), c -> c.query("SELECT add_compression_policy("
                    + table + ", compress_after => " + interval(after.get()) + ")").execute().mapEmpty()));
        }
        return f.mapEmpty();
    }

    private Future<Void> rollup(Pool pool, Shape s, Rollup r, Edition found) {
        String view = Rollups.view(s.table(), r);
        if (!Rollups.fits(s.columns(), s.key())) {
            LOG.infof("%s: %d numeric columns are too many for one rollup; %s is not created", s.table(),
                    Rollups.numericColumns(s.columns(), s.key()).size(), view);
            return Future.succeededFuture();
        }
        String select = Rollups.select(s.table(), s.columns(), s.key(), r);
        Future<Void> f;
        if (found == Edition.APACHE) {
            shapes.put(s.table(), s);
            f = step(pool, "rollup table " + RollupTables.store(s.table(), r), c -> RollupTables.createStore(c, s, r))
                    .compose(stored -> !stored ? Future.succeededFuture(false)
                            : step(pool, null, c -> c.query(RollupTables.viewSql(s, r, true)).execute().mapEmpty())
                                    .compose(ok -> ok ? Future.succeededFuture(true)
                                            // the columns changed in a way CREATE OR REPLACE refuses (a column in the middle): make it anew
                                            : step(pool, "view " + view, c -> c.query("DROP VIEW IF EXISTS " + Sql.quote(view)).execute()
                                                    .compose(x -> c.query(RollupTables.viewSql(s, r, false)).execute()).mapEmpty())))
                    .mapEmpty();
        } else {
            String name = Sql.literal(Sql.quote(view));
            f = step(pool, "continuous aggregate " + view, c -> c.query("CREATE MATERIALIZED VIEW IF NOT EXISTS " + Sql.quote(view)
                    + " WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS " + select + " WITH NO DATA").execute()
                    .compose(x -> c.query("ALTER MATERIALIZED VIEW " + Sql.quote(view) + " SET (timescaledb.materialized_only = false)")
                            .execute()).mapEmpty())
                    .compose(ok -> step(pool, "refresh policy of " + view, c -> c.query("SELECT add_continuous_aggregate_policy("
                            + name + ", start_offset => " + interval(TimescaleSettings.REFRESH_WINDOW) + ", end_offset => "
                            + interval(r.bucket()) + ", schedule_interval => " + interval(r.bucket()) + ", if_not_exists => true)")
                            .execute().mapEmpty()))
                    .compose(ok -> step(pool, "retention policy of " + view, c -> c.query("SELECT remove_retention_policy("
                            + name + ", if_exists => true)").execute().mapEmpty()))
                    .compose(ok -> settings.retainRollups().isEmpty() ? Future.succeededFuture(true)
                            : step(pool, "retention policy of " + view, c -> c.query("SELECT add_retention_policy(" + name
                                    + ", drop_after => " + interval(settings.retainRollups().get()) + ")").execute().mapEmpty()))
                    .mapEmpty();
        }
        return f.compose(v -> isView(pool, view)).map(exists -> {
            if (exists) {
                rollups.compute(s.table(), (t, have) -> {
                    List<Rollup> list = new ArrayList<>(have == null ? List.of() : have);
                    if (!list.contains(r)) {
                        list.add(r);
                        list.sort((a, b) -> a.bucket().compareTo(b.bucket()));
                    }
                    return List.copyOf(list);
                });
            }
            return null;
        });
    }

    /** Whether the rollup is there (a continuous aggregate is a view to the catalogue too). */
    private static Future<Boolean> isView(Pool pool, String view) {
        return pool.query("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                + " AND c.relname = " + Sql.literal(view) + " AND c.relkind = 'v'").execute().map(rs -> rs.size() > 0);
    }

    /** Runs one step in a transaction of its own; true when it succeeded, false (logged, unless {@code what} is null) when refused. */
    private static Future<Boolean> step(Pool pool, String what, Function<SqlConnection, Future<Void>> work) {
        // client_min_messages: "already exists, skipping" notices on every restart are noise
        return pool.withTransaction(c -> c.query("SET LOCAL client_min_messages = warning").execute().compose(v -> work.apply(c)))
                .map(x -> true)
                .recover(e -> {
                    if (what != null) {
                        LOG.warnf("%s not applied: %s", what, e.getMessage());
                    }
                    return Future.succeededFuture(false);
                });
    }

    static String interval(Duration d) {
        return "INTERVAL '" + d.toSeconds() + " seconds'";
    }
}
