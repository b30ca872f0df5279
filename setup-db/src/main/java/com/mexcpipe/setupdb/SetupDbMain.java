package com.mexcpipe.setupdb;

import com.mexcpipe.common.ConfigException;
import com.mexcpipe.common.Env;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.Symbols;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.ClickHouseWait;
import com.mexcpipe.common.clickhouse.Schema;
import com.mexcpipe.common.clickhouse.TableCheck;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.Command;
import com.mexcpipe.common.cli.ExitCodes;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.mexcpipe.common.cli.Version;
import picocli.CommandLine;

/**
 * {@code java -jar setup-db.jar}: waits for ClickHouse, then creates the database and {@code <base>_current} for
 * every symbol in {@code SYMBOLS}. Idempotent; never drops or truncates; fails if an existing table has another
 * layout.
 */
@CommandLine.Command(name = "setup-db.jar", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Creates the mexc-pipe schema in ClickHouse (idempotent; never drops or truncates).",
            "Environment: SYMBOLS, CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE,",
            "SETUP_WAIT_S (how long to wait for ClickHouse, default 120)."})
public final class SetupDbMain extends Command {
    private static final Logger log = LoggerFactory.getLogger(SetupDbMain.class);

    private final Env env;

    public SetupDbMain() {
        this(Env.system());
    }

    public SetupDbMain(Env env) {
        this.env = env;
    }

    public static void main(String[] args) {
        Cli.main(new SetupDbMain(), args);
    }

    @Override
    protected int run() throws Exception {
        List<Symbol> symbols = env.parsed("SYMBOLS", "BTC_USDT,ETH_USDT,SOL_USDT", Symbols::parseList);
        ClickHouseSettings ch = ClickHouseSettings.fromEnv(env);
        Duration wait = env.seconds("SETUP_WAIT_S", 120, 0, 3600);
        env.validate();
        ClickHouseWait.untilReady(ch, wait);
        try (Connection c = ch.connect(); Statement st = c.createStatement()) {
            st.execute(Schema.createDatabase(ch));
            int created = 0;
            for (Symbol s : symbols) {
                String table = s.currentTable();
                boolean existed = !TableCheck.columns(c, ch.database(), table).isEmpty();
                st.execute(Schema.createTable(ch, table));
                List<String> cols = TableCheck.columns(c, ch.database(), table);
                String engine = TableCheck.engine(c, ch.database(), table);
                if (!cols.equals(TableCheck.EXPECTED) || !"StripeLog".equals(engine)) {
                    throw new ConfigException(ch.database() + "." + table + " exists with another layout: " + engine
                            + " " + cols + "; expected StripeLog " + TableCheck.EXPECTED
                            + ". It was left untouched; rename or migrate it by hand.");
                }
                if (!existed) {
                    created++;
                }
                log.info("{}.{} for {}: {}", ch.database(), table, s, existed ? "already there" : "created");
            }
            log.info("schema ready: database {}, {} table(s) created, {} already present", ch.database(), created,
                    symbols.size() - created);
        }
        return ExitCodes.OK;
    }
}
