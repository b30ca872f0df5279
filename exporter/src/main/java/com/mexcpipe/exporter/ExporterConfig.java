package com.mexcpipe.exporter;

import com.mexcpipe.common.Env;
import com.mexcpipe.common.Symbol;
import com.mexcpipe.common.Symbols;
import com.mexcpipe.common.clickhouse.ClickHouseSettings;
import com.mexcpipe.exporter.parquet.ExportWriterOptions;
import com.mexcpipe.exporter.rotation.RotationTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything the exporter reads from its environment, validated at once (README lists every variable). */
public record ExporterConfig(List<Symbol> symbols, ClickHouseSettings clickHouse, Path controlDir, Path exportDir,
        String httpBind, int httpPort, RotationTimeouts rotation, Duration retryEvery, int parquetThreads,
        int zstdLevel, Duration clickHouseWait) {

    public static ExporterConfig fromEnv(Env env) {
        List<Symbol> symbols = env.parsed("SYMBOLS", "BTC_USDT,ETH_USDT,SOL_USDT", Symbols::parseList);
        ClickHouseSettings ch = ClickHouseSettings.fromEnv(env);
        RotationTimeouts t = new RotationTimeouts(
                env.seconds("ROTATE_PAUSE_ACK_S", 30, 1, 600),
                env.seconds("ROTATE_LEASE_MARGIN_S", 20, 1, 600),
                env.seconds("CLIENT_STALE_S", 30, 5, 3600),
                env.seconds("ROTATE_RESUME_WAIT_S", 30, 1, 600),
                Duration.ofMillis(100));
        ExporterConfig cfg = new ExporterConfig(symbols, ch,
                env.path("CONTROL_DIR", "/control"),
                env.path("EXPORT_DIR", "/exports"),
                env.string("HTTP_BIND", "0.0.0.0"),
                env.intInRange("HTTP_PORT", 8080, 0, 65535),
                t,
                env.seconds("EXPORT_RETRY_S", 300, 10, 3600),
                env.intInRange("PARQUET_THREADS", Math.min(2, Runtime.getRuntime().availableProcessors()), 1, 64),
                env.intInRange("PARQUET_ZSTD_LEVEL", ExportWriterOptions.DEFAULT_ZSTD_LEVEL, 1, 22),
                env.seconds("CLICKHOUSE_WAIT_S", 120, 0, 3600));
        env.validate();
        return cfg;
    }
}
