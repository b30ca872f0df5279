package com.mexcpipe.verif;

import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.Symbols;
import com.mexcpipe.common.clickhouse.ClickHouseErrors;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.UnavailableException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** {@code verif ch}: per symbol, rows in {@code _current} by mt, newest ts and its lag, rate over the last minute. */
@CommandLine.Command(name = "ch", mixinStandardHelpOptions = true,
        description = {"Check the ClickHouse tables: rows by type, newest row and its lag, rate over the last minute.",
            "Fails on a missing, empty or stale table. Exit 0 = passed, 1 = a check failed, 3 = ClickHouse unreachable."})
public final class ChCommand extends Command {
    @CommandLine.Option(names = "--url", description = "ClickHouse HTTP URL (default http://127.0.0.1:8123, or "
            + "CLICKHOUSE_HOST_URL in .env)")
    String url;

    @CommandLine.Option(names = "--user", description = "default: default")
    String user;

    @CommandLine.Option(names = "--password", description = "default: CLICKHOUSE_PASSWORD from .env or the environment")
    String password;

    @CommandLine.Option(names = "--database", description = "default: mexc")
    String database;

    @CommandLine.Option(names = "--symbols", description = "default: SYMBOLS from .env, else BTC_USDT,ETH_USDT,SOL_USDT")
    String symbols;

    @CommandLine.Option(names = "--max-lag-s", defaultValue = "120", description = "newest row older than this = stale")
    long maxLagS;

    @CommandLine.Option(names = "--env-file", defaultValue = ".env")
    Path envFile;

    @CommandLine.Option(names = "--json")
    boolean json;

    private final PrintStream out;

    public ChCommand() {
        this(System.out);
    }

    ChCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    protected int run() throws Exception {
        DotEnv env = DotEnv.load(envFile);
        ClickHouseSettings ch = new ClickHouseSettings(URI.create(url != null ? url
                : env.get("CLICKHOUSE_HOST_URL", "http://127.0.0.1:8123")), user != null ? user
                : env.get("CLICKHOUSE_USER", "default"), password != null ? password
                : env.get("CLICKHOUSE_PASSWORD", ""), database != null ? database
                : env.get("CLICKHOUSE_DATABASE", "mexc"));
        List<Symbol> syms = Symbols.parseList(symbols != null ? symbols
                : env.get("SYMBOLS", "BTC_USDT,ETH_USDT,SOL_USDT"));
        Report r = new Report("ch", "symbol", "table", "t", "d", "dp", "dl", "total", "newest (UTC)", "lag s",
                "rows/s 1m");
        try (Connection c = ch.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                r.note("ClickHouse " + rs.getString(1) + " at " + ch.endpoint() + ", database " + ch.database());
            }
            for (Symbol s : syms) {
                check(st, ch, s, r);
            }
        } catch (SQLException | RuntimeException e) {
            ClickHouseErrors.Failure f = ClickHouseErrors.classify(e);
            if (f.code() == 516 || f.code() == 194 || f.code() == 193 || f.code() == 192) {
                throw new UnavailableException("ClickHouse at " + ch.endpoint() + " refused the login (" + f.message()
                        + ") — is CLICKHOUSE_PASSWORD in " + envFile + " the one the stack started with?", e);
            }
            if (f.code() == 0) {
                throw new UnavailableException("ClickHouse not reachable at " + ch.endpoint()
                        + " — is the stack up? docker-compose ps", e);
            }
            throw e;
        }
        r.print(out, json);
        return r.exitCode();
    }

    private void check(Statement st, ClickHouseSettings ch, Symbol s, Report r) throws SQLException {
        String table = ch.table(s.currentTable());
        Map<String, Object> row = r.row();
        row.put("symbol", s.value());
        row.put("table", ch.database() + "." + s.currentTable());
        try (ResultSet rs = st.executeQuery("SELECT countIf(mt = 't'), countIf(mt = 'd'), countIf(mt = 'dp'), "
                + "countIf(mt = 'dl'), count(), toString(max(ts)), dateDiff('millisecond', max(ts), now64(3)), "
                + "countIf(ts > now64(3) - INTERVAL 1 MINUTE) FROM " + table)) {
            rs.next();
            long total = rs.getLong(5);
            row.put("t", rs.getLong(1));
            row.put("d", rs.getLong(2));
            row.put("dp", rs.getLong(3));
            row.put("dl", rs.getLong(4));
            row.put("total", total);
            double lag = rs.getLong(7) / 1000.0;
            row.put("newest (UTC)", total == 0 ? null : rs.getString(6));
            row.put("lag s", total == 0 ? null : String.format(java.util.Locale.ROOT, "%.1f", lag));
            row.put("rows/s 1m", String.format(java.util.Locale.ROOT, "%.1f", rs.getLong(8) / 60.0));
            r.check(s + " has rows", total > 0, total > 0 ? total + " rows" : "empty (a rotation just happened? "
                    + "check the client: docker-compose logs client-" + s.base() + ")");
            if (total > 0) {
                r.check(s + " is fresh", lag <= maxLagS, String.format(java.util.Locale.ROOT,
                        "newest row %.1f s old (limit %d s)", lag, maxLagS));
            }
        } catch (SQLException e) {
            if (ClickHouseErrors.serverCode(e) == 60) {
                row.put("total", null);
                r.check(s + " table exists", false, ch.database() + "." + s.currentTable()
                        + " is missing (did setup-db run? docker-compose logs setup-db)");
                return;
            }
            throw e;
        }
    }
}
