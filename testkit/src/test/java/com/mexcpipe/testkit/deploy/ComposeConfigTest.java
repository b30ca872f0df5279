package com.mexcpipe.testkit.deploy;

import static com.mexcpipe.testkit.deploy.Deploy.list;
import static com.mexcpipe.testkit.deploy.Deploy.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Compose binary validates docker-compose.yml with the sample .env (docker-compose v1 or `docker compose`
 * v2, whichever is installed; neither needs a Docker daemon for {@code config}). Skipped with the reason when
 * neither is installed; .ci/run installs docker-compose.
 */
class ComposeConfigTest {
    static Path root;
    static List<String> compose;

    @BeforeAll
    static void findCompose() {
        root = Deploy.repoRoot();
        if (Deploy.works(List.of("docker-compose", "version"))) {
            compose = List.of("docker-compose");
        } else if (Deploy.works(List.of("docker", "compose", "version"))) {
            compose = List.of("docker", "compose");
        }
    }

    /** This JVM's environment minus what would override the env file (compose prefers the shell's values). */
    static Map<String, String> cleanEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("CLICKHOUSE_") || k.startsWith("HOST_") || k.endsWith("_EXIT_COUNTRIES")
                || k.endsWith("_MEM_LIMIT") || k.equals("SYMBOLS") || k.startsWith("COMPOSE_"));
        return env;
    }

    static Deploy.Result compose(Path envFile, String... args) {
        List<String> cmd = new ArrayList<>(compose);
        cmd.addAll(List.of("--env-file", envFile.toString(), "-f", root.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return Deploy.run(cmd, root, cleanEnv(), Duration.ofSeconds(60));
    }

    @Test
    void configQuietPassesWithTheSampleEnv() {
        assumeTrue(compose != null, "neither docker-compose nor `docker compose` is installed (.ci/run installs docker-compose)");
        Deploy.Result r = compose(root.resolve(".env.example"), "config", "-q");
        System.out.printf("DEPLOY %s config -q: exit %d in %d ms%n", String.join(" ", compose), r.exit(), r.took().toMillis());
        assertThat(r.exit()).as(r.all()).isZero();
    }

    @Test
    void withoutAPasswordComposeRefusesAndSaysRunSetup(@TempDir Path tmp) throws Exception {
        assumeTrue(compose != null, "neither docker-compose nor `docker compose` is installed");
        Path env = tmp.resolve("empty.env");
        Files.writeString(env, "HOST_UID=1000\nHOST_GID=1000\n");
        Deploy.Result r = compose(env, "config", "-q");
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.all()).contains("CLICKHOUSE_PASSWORD").contains("./setup");
    }

    @Test
    void composeResolvesTheAnchorsAsTheFileTestExpects() {
        assumeTrue(compose != null, "neither docker-compose nor `docker compose` is installed");
        Deploy.Result r = compose(root.resolve(".env.example"), "config");
        assertThat(r.exit()).as(r.all()).isZero();
        Map<String, Object> cfg = Deploy.loadYamlText(r.out());
        Map<String, Object> services = map(cfg.get("services"));
        Set<String> symbols = new TreeSet<>();
        services.forEach((name, o) -> {
            Map<String, Object> s = map(o);
            assertThat(list(s.get("cap_drop"))).as(name).containsExactly("ALL");
            assertThat(s.get("read_only")).as(name).isEqualTo(true);
            for (Object p : list(s.get("ports"))) {
                String host = p instanceof Map<?, ?> m ? String.valueOf(m.get("host_ip")) : String.valueOf(p).split(":")[0];
                assertThat(host).as(name + " " + p).isEqualTo("127.0.0.1");
            }
            if (name.startsWith("client-")) {
                symbols.add(Deploy.environment(s).get("SYMBOL"));
                assertThat(Deploy.environment(s)).as(name).containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123");
            }
        });
        assertThat(symbols).containsExactly("BTC_USDT", "ETH_USDT", "SOL_USDT");
        assertThat(map(services.get("exporter")).get("container_name")).isEqualTo("exporter");
    }
}
