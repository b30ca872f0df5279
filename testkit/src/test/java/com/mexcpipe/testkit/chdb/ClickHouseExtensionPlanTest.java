package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.testkit.clickhouse.ClickHouseExtension;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.Chdb;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.Container;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.DockerState;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.External;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.Plan;
import com.mexcpipe.testkit.clickhouse.ClickHouseExtension.Skip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend selection, with injected environment: no backend is started. */
class ClickHouseExtensionPlanTest {
    @TempDir
    Path home;

    @Test
    void missingLibchdbWithoutDockerIsSkippedWithAReason() {
        Plan plan = ClickHouseExtension.plan(Map.of("CHDB_LIB", "/nonexistent/libchdb.so"), () -> DockerState.ABSENT, home.toString());
        assertThat(plan).isInstanceOf(Skip.class);
        assertThat(plan.describe()).startsWith("skipped: ")
                .contains("/nonexistent/libchdb.so", "CHDB_LIB", ".ci/fetch-chdb", "CLICKHOUSE_URL", "Docker");
    }

    @Test
    void defaultLibraryPathIsTheFetchCache() {
        Plan plan = ClickHouseExtension.plan(Map.of(), () -> DockerState.ABSENT, home.toString());
        assertThat(plan.describe()).contains(home.resolve(".cache/mexc-pipe/chdb/package/libchdb.so").toString());
    }

    @Test
    void clickhouseUrlWinsAndDockerIsNotAsked() {
        AtomicBoolean asked = new AtomicBoolean();
        Plan plan = ClickHouseExtension.plan(Map.of("CLICKHOUSE_URL", "http://ch:8123", "CLICKHOUSE_PASSWORD", "pw"),
                () -> {
                    asked.set(true);
                    return DockerState.WITH_IMAGE;
                }, home.toString());
        assertThat(plan).isEqualTo(new External("http://ch:8123", "default", "pw"));
        assertThat(asked).isFalse();
    }

    @Test
    void dockerComesBeforeChdb() throws Exception {
        Path lib = Files.createFile(home.resolve("libchdb.so"));
        assertThat(ClickHouseExtension.plan(Map.of("CHDB_LIB", lib.toString()), () -> DockerState.WITH_IMAGE, home.toString()))
                .isEqualTo(new Container(ClickHouseExtension.IMAGE));
        assertThat(ClickHouseExtension.plan(Map.of("CHDB_LIB", lib.toString()), () -> DockerState.ABSENT, home.toString()))
                .isInstanceOf(Chdb.class);
    }

    @Test
    void chdbCanBeForced() throws Exception {
        Path lib = Files.createFile(home.resolve("libchdb.so"));
        AtomicBoolean asked = new AtomicBoolean();
        Plan plan = ClickHouseExtension.plan(Map.of("CHDB_LIB", lib.toString(), "CLICKHOUSE_BACKEND", "chdb"),
                () -> {
                    asked.set(true);
                    return DockerState.WITH_IMAGE;
                }, home.toString());
        assertThat(plan).isEqualTo(new Chdb(lib, "CLICKHOUSE_BACKEND=chdb"));
        assertThat(asked).isFalse();
        assertThat(ClickHouseExtension.plan(Map.of("CLICKHOUSE_BACKEND", "testcontainers"), () -> DockerState.ABSENT,
                home.toString())).isInstanceOf(Skip.class);
    }

    @Test
    void aDockerEngineWithoutTheImageGoesToChdbAtOnceUnlessTestcontainersIsForced() throws Exception {
        Path lib = Files.createFile(home.resolve("libchdb.so"));
        Plan plan = ClickHouseExtension.plan(Map.of("CHDB_LIB", lib.toString()), () -> DockerState.WITHOUT_IMAGE,
                home.toString());
        assertThat(plan).isInstanceOf(Chdb.class);
        assertThat(((Chdb) plan).why()).contains("no local " + ClickHouseExtension.IMAGE, "CLICKHOUSE_BACKEND=testcontainers");
        assertThat(ClickHouseExtension.plan(Map.of("CHDB_LIB", lib.toString(), "CLICKHOUSE_BACKEND", "testcontainers"),
                () -> DockerState.WITHOUT_IMAGE, home.toString())).isEqualTo(new Container(ClickHouseExtension.IMAGE));
    }
}
