package com.mexcpipe.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.common.clickhouse.Schema;
import com.mexcpipe.common.cli.Cli;
import com.mexcpipe.common.cli.ExitCodes;
import com.mexcpipe.verif.VerifTestAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ClickHouseExtension.class)
class VerifChTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run verif(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Cli.execute(VerifTestAccess.ch(new PrintStream(out, true)), args);
        } finally {
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void freshTablesPassAnEmptyOrStaleOrMissingOneFails(ClickHouseBackend ch) throws Exception {
        String db = ch.createDatabase("verifch");
        ClickHouseSettings s = ChSupport.settings(ch, db);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            for (String t : new String[] {"btc_current", "eth_current", "sol_current"}) {
                st.execute(Schema.createTable(s, t));
            }
            st.execute("INSERT INTO " + s.table("btc_current") + " SELECT now64(3) - toIntervalMillisecond(number * 50),"
                    + " ['t','d','dp','dl'][number % 4 + 1], 'x' FROM numbers(1000)");
            st.execute("INSERT INTO " + s.table("eth_current") + " SELECT now64(3) - INTERVAL 1 HOUR, 'd', 'old' FROM numbers(3)");
        }
        Path env = dir.resolve(".env");
        Files.writeString(env, "CLICKHOUSE_PASSWORD=" + ch.password() + "\nSYMBOLS=BTC_USDT\n");
        Run ok = verif("--url", ch.httpUrl(), "--user", ch.user(), "--database", db, "--env-file", env.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("BTC_USDT", "250", "OK   BTC_USDT is fresh", "all checks passed");

        Run bad = verif("--url", ch.httpUrl(), "--user", ch.user(), "--password", ch.password(), "--database", db,
                "--symbols", "BTC_USDT,ETH_USDT,SOL_USDT,XRP_USDT", "--json");
        assertThat(bad.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.out()).contains("\"ETH_USDT is fresh\"", "\"SOL_USDT has rows\"", "xrp_current is missing");
        ch.dropDatabase(db);
    }

    @Test
    void noServerIsAClearUnavailableError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = verif("--url", "http://127.0.0.1:" + port, "--env-file", dir.resolve("none").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("ClickHouse not reachable at 127.0.0.1:" + port,
                "is the stack up? docker-compose ps");
    }
}
