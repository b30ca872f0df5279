package com.mexcpipe.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.Env;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.TableCheck;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.setupdb.SetupDbMain;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ClickHouseExtension.class)
class SetupDbTest {
    static int setupDb(ClickHouseBackend ch, String db, String symbols) {
        Map<String, String> env = Map.of("SYMBOLS", symbols, "CLICKHOUSE_URL", ch.httpUrl(), "CLICKHOUSE_USER", ch.user(),
                "CLICKHOUSE_PASSWORD", ch.password(), "CLICKHOUSE_DATABASE", db, "SETUP_WAIT_S", "20");
        return Cli.execute(new SetupDbMain(new Env(env)));
    }

    @Test
    void createsTheSchemaIdempotentlyAndNeverDropsData(ClickHouseBackend ch) throws Exception {
        String db = ch.createDatabase("setup");
        ch.dropDatabase(db); // setup-db creates the database itself
        assertThat(setupDb(ch, db, "BTC_USDT,ETH_USDT,SOL_USDT")).isEqualTo(ExitCodes.OK);
        ClickHouseSettings s = ChSupport.settings(ch, db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            for (String t : new String[] {"btc_current", "eth_current", "sol_current"}) {
                assertThat(TableCheck.columns(c, db, t)).containsExactlyElementsOf(TableCheck.EXPECTED);
                assertThat(TableCheck.engine(c, db, t)).isEqualTo("StripeLog");
            }
            st.execute("INSERT INTO " + s.table("btc_current") + " VALUES ('2026-11-22 14:00:00.123', 'dp', 'keep me')");
        }
        assertThat(setupDb(ch, db, "BTC_USDT,ETH_USDT,SOL_USDT")).as("second run").isEqualTo(ExitCodes.OK);
        assertThat(ChSupport.count(s, "btc_current")).as("nothing dropped or truncated").isEqualTo(1);
        assertThat(setupDb(ch, db, "BTC_USDT,XRP_USDT")).as("adding a symbol").isEqualTo(ExitCodes.OK);
        try (Connection c = s.connect()) {
            assertThat(TableCheck.columns(c, db, "xrp_current")).containsExactlyElementsOf(TableCheck.EXPECTED);
        }
        ch.dropDatabase(db);
    }

    @Test
    void aTableWithAnotherLayoutIsReportedAndLeftAlone(ClickHouseBackend ch) throws Exception {
        String db = ch.createDatabase("setupbad");
        ClickHouseSettings s = ChSupport.settings(ch, db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + s.table("btc_current") + " (ts DateTime, m String) ENGINE = StripeLog");
        }
        assertThat(setupDb(ch, db, "BTC_USDT")).isEqualTo(ExitCodes.USAGE);
        try (Connection c = s.connect()) {
            assertThat(TableCheck.columns(c, db, "btc_current")).containsExactly("ts DateTime", "m String");
        }
        ch.dropDatabase(db);
    }

    @Test
    void badSymbolsStopItBeforeTouchingClickHouse(ClickHouseBackend ch) {
        assertThat(setupDb(ch, "whatever", "BTC_USDT,btc-usd")).isEqualTo(ExitCodes.USAGE);
    }
}
