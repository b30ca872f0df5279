package com.mexcpipe.testkit.deploy;

import static com.mexcpipe.testkit.deploy.Deploy.environment;
import static com.mexcpipe.testkit.deploy.Deploy.list;
import static com.mexcpipe.testkit.deploy.Deploy.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * docker-compose.yml read as Compose reads it (SnakeYAML: anchors and merge keys resolved; variables substituted
 * from .env.example): the security and wiring properties the deployment promises (DESIGN §1, §2, §7).
 */
class ComposeFileTest {
    static final Set<String> CLIENTS = Set.of("client-btc", "client-eth", "client-sol");
    static final Set<String> LONG_RUNNING = Set.of("clickhouse", "client-btc", "client-eth", "client-sol", "exporter");
    static final Set<String> APP_SERVICES = Set.of("setup-db", "client-btc", "client-eth", "client-sol", "exporter");
    /** The exporter's environment (its config is written in parallel; this is the agreed list). */
    static final Set<String> EXPORTER_VARS = Set.of("SYMBOLS", "CLICKHOUSE_URL", "CLICKHOUSE_USER",
            "CLICKHOUSE_PASSWORD", "CLICKHOUSE_DATABASE", "CONTROL_DIR", "EXPORT_DIR", "HTTP_BIND", "HTTP_PORT",
            "ROTATE_PAUSE_ACK_S", "ROTATE_LEASE_MARGIN_S", "CLIENT_STALE_S", "ROTATE_RESUME_WAIT_S", "EXPORT_RETRY_S",
            "PARQUET_THREADS", "PARQUET_ZSTD_LEVEL", "CLICKHOUSE_WAIT_S");

    static Path root;
    static String text;
    static Map<String, Object> raw;
    static Map<String, String> sampleEnv;
    static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() throws IOException {
        root = Deploy.repoRoot();
        text = Files.readString(root.resolve("docker-compose.yml"));
        raw = Deploy.loadYaml(root.resolve("docker-compose.yml"));
        sampleEnv = Deploy.readEnvFile(root.resolve(".env.example"));
        services = new TreeMap<>();
        map(raw.get("services")).forEach((name, svc) ->
                services.put(name, map(Deploy.interpolate(svc, sampleEnv))));
    }

    @Test
    void formatIsComposeFile2_4WithTheSixServices() {
        assertThat(raw.get("version")).isEqualTo("2.4");
        assertThat(services.keySet()).containsExactlyInAnyOrder("clickhouse", "setup-db", "client-btc",
                "client-eth", "client-sol", "exporter");
    }

    @Test
    void noServiceCanGainPrivileges() {
        assertThat(text).doesNotContain("NET_ADMIN").doesNotContain("cap_add").doesNotContain("docker.sock")
                .doesNotContain("privileged");
        services.forEach((name, s) -> {
            assertThat(s).as(name).doesNotContainKeys("cap_add", "privileged", "devices", "network_mode", "pid",
                    "ipc", "userns_mode");
            assertThat(list(s.get("cap_drop"))).as(name + " cap_drop").containsExactly("ALL");
            assertThat(list(s.get("security_opt"))).as(name + " security_opt").contains("no-new-privileges:true");
        });
    }

    @Test
    void everyPublishedPortIsBoundTo127_0_0_1() {
        Map<String, List<String>> published = new TreeMap<>();
        services.forEach((name, s) -> {
            for (Object p : list(s.get("ports"))) {
                String hostIp;
                String mapping;
                if (p instanceof Map<?, ?> m) {
                    hostIp = String.valueOf(m.get("host_ip"));
                    mapping = m.get("published") + ":" + m.get("target");
                } else {
                    String[] parts = String.valueOf(p).split(":");
                    assertThat(parts).as(name + " port " + p + " must name the host address").hasSize(3);
                    hostIp = parts[0];
                    mapping = parts[1] + ":" + parts[2];
                }
                assertThat(hostIp).as(name + " port " + p).isEqualTo("127.0.0.1");
                published.computeIfAbsent(name, k -> new ArrayList<>()).add(mapping);
            }
        });
        assertThat(published).containsExactlyInAnyOrderEntriesOf(Map.of(
                "clickhouse", List.of("8123:8123"),
                "client-btc", List.of("8081:8080"),
                "client-eth", List.of("8082:8080"),
                "client-sol", List.of("8083:8080"),
                "exporter", List.of("8080:8080")));
    }

    @Test
    void longRunningServicesAreNonRootHealthcheckedAndRestartUnlessStopped() {
        for (String name : LONG_RUNNING) {
            Map<String, Object> s = services.get(name);
            assertThat(s.get("restart")).as(name).isEqualTo("unless-stopped");
            String user = String.valueOf(s.get("user"));
            assertThat(user).as(name + " user").matches("[0-9]+:[0-9]+");
            assertThat(Integer.parseInt(user.split(":")[0])).as(name + " uid").isNotZero();
            assertThat(Integer.parseInt(user.split(":")[1])).as(name + " gid").isNotZero();
            Map<String, Object> hc = map(s.get("healthcheck"));
            assertThat(hc.get("disable")).as(name).isNotEqualTo(true);
            List<Object> test = list(hc.get("test"));
            assertThat(test).as(name + " healthcheck").isNotEmpty();
            assertThat(test.get(0)).as(name + " healthcheck form").isIn("CMD", "CMD-SHELL");
            assertThat(hc).as(name).containsKeys("interval", "timeout", "retries", "start_period");
        }
        // the app containers probe their own /health; ClickHouse its /ping
        for (String name : List.of("client-btc", "client-eth", "client-sol", "exporter")) {
            assertThat(list(map(services.get(name).get("healthcheck")).get("test")))
                    .containsExactly("CMD", "/opt/mexc-pipe/bin/healthcheck.sh");
        }
        assertThat(String.join(" ", list(map(services.get("clickhouse").get("healthcheck")).get("test"))
                .stream().map(String::valueOf).toList())).contains("http://127.0.0.1:8123/ping");
    }

    @Test
    void appServicesRunAsTheHostUserTheImagesAreBuiltFor() {
        Map<String, Object> rawServices = map(raw.get("services"));
        for (String name : APP_SERVICES) {
            Map<String, Object> s = map(rawServices.get(name));
            assertThat(s.get("user")).as(name).isEqualTo("${HOST_UID}:${HOST_GID}");
            Map<String, Object> args = map(map(s.get("build")).get("args"));
            assertThat(String.valueOf(args.get("APP_UID"))).as(name).startsWith("${HOST_UID:?");
            assertThat(String.valueOf(args.get("APP_GID"))).as(name).startsWith("${HOST_GID:?");
        }
        assertThat(services.get("clickhouse").get("user")).isEqualTo("101:101");
        // the sample's ids come through
        assertThat(services.get("exporter").get("user")).isEqualTo(sampleEnv.get("HOST_UID") + ":" + sampleEnv.get("HOST_GID"));
    }

    @Test
    void rootFilesystemsAreReadOnlyWithTmpfsWhereTheyWrite() {
        services.forEach((name, s) -> {
            assertThat(s.get("read_only")).as(name + " read_only").isEqualTo(true);
            assertThat(tmpfs(s)).as(name + " tmpfs").containsKey("/tmp");
        });
        for (String c : CLIENTS) {
            Map<String, String> t = tmpfs(services.get(c));
            String torDir = environment(services.get(c)).get("TOR_DATA_DIR");
            assertThat(t).as(c).containsKey(torDir);
            assertThat(t.get(torDir)).as(c + " tor data dir tmpfs")
                    .contains("mode=0700")
                    .contains("uid=" + sampleEnv.get("HOST_UID"))
                    .contains("gid=" + sampleEnv.get("HOST_GID"));
        }
        assertThat(tmpfs(services.get("clickhouse"))).containsKey("/etc/clickhouse-server/users.d");
        assertThat(tmpfs(services.get("clickhouse")).get("/etc/clickhouse-server/users.d")).contains("uid=101");
    }

    @Test
    void memoryLimitsAndLogRotationEverywhere() {
        services.forEach((name, s) -> {
            assertThat(bytes(String.valueOf(s.get("mem_limit")))).as(name + " mem_limit").isGreaterThan(64L << 20);
            Map<String, Object> logging = map(s.get("logging"));
            assertThat(logging.get("driver")).as(name).isEqualTo("json-file");
            Map<String, Object> opts = map(logging.get("options"));
            assertThat(bytes(String.valueOf(opts.get("max-size")))).as(name + " max-size").isPositive();
            assertThat(Integer.parseInt(String.valueOf(opts.get("max-file")))).as(name + " max-file").isPositive();
        });
        for (String c : CLIENTS) {
            assertThat(services.get(c).get("stop_grace_period")).as(c).isEqualTo("30s");
        }
        assertThat(map(map(services.get("clickhouse").get("ulimits")).get("nofile"))).containsKeys("soft", "hard");
    }

    @Test
    void startOrderClickhouseThenSetupDbThenClientsAndExporter() {
        Map<String, Object> setupDb = services.get("setup-db");
        assertThat(map(map(setupDb.get("depends_on")).get("clickhouse")).get("condition")).isEqualTo("service_healthy");
        assertThat(setupDb.get("restart")).isEqualTo("no");
        assertThat(map(setupDb.get("healthcheck")).get("disable")).isEqualTo(true);
        assertThat(list(setupDb.get("command"))).containsExactly("java", "-jar", "setup-db.jar");
        assertThat(setupDb.get("image")).isEqualTo(services.get("exporter").get("image"));
        for (String name : List.of("client-btc", "client-eth", "client-sol", "exporter")) {
            Map<String, Object> deps = map(services.get(name).get("depends_on"));
            assertThat(deps.keySet()).as(name).containsExactly("setup-db");
            assertThat(map(deps.get("setup-db")).get("condition")).as(name).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void theClientsShareOneDefinitionAndDifferOnlyInSymbolPortAndSpool() throws IOException {
        // on the YAML node level: every client service is "<<: *client" plus environment, ports and volumes
        MappingNode top;
        try (Reader r = Files.newBufferedReader(root.resolve("docker-compose.yml"), StandardCharsets.UTF_8)) {
            top = (MappingNode) new Yaml(new SafeConstructor(new LoaderOptions())).compose(r);
        }
        Node xClient = value(top, "x-client");
        Node xClientEnv = value(top, "x-client-env");
        MappingNode svcNodes = (MappingNode) value(top, "services");
        for (String c : CLIENTS) {
            MappingNode svc = (MappingNode) value(svcNodes, c);
            assertThat(keys(svc)).as(c).containsExactlyInAnyOrder("<<", "environment", "ports", "volumes");
            assertThat(value(svc, "<<")).as(c + " merges x-client").isSameAs(xClient);
            MappingNode env = (MappingNode) value(svc, "environment");
            assertThat(keys(env)).as(c).containsExactlyInAnyOrder("<<", "SYMBOL", "TOR_EXIT_COUNTRIES");
            assertThat(value(env, "<<")).as(c + " merges x-client-env").isSameAs(xClientEnv);
        }

        // resolved: equal once SYMBOL, exit countries, port and spool volume are taken out
        Map<String, Map<String, Object>> stripped = new HashMap<>();
        Set<String> symbols = new TreeSet<>();
        Set<String> spools = new HashSet<>();
        for (String c : CLIENTS) {
            Map<String, Object> s = new TreeMap<>(services.get(c));
            Map<String, String> env = new TreeMap<>(environment(s));
            symbols.add(env.remove("SYMBOL"));
            env.remove("TOR_EXIT_COUNTRIES");
            s.put("environment", env);
            s.remove("ports");
            List<String> vols = new ArrayList<>(list(s.remove("volumes")).stream().map(String::valueOf).toList());
            assertThat(vols).as(c).contains("control:/control");
            String spool = vols.stream().filter(v -> v.endsWith(":/spool")).findFirst().orElseThrow();
            spools.add(spool);
            vols.remove(spool);
            vols.remove("control:/control");
            assertThat(vols).as(c + " other volumes").isEmpty();
            stripped.put(c, s);
            String base = c.substring("client-".length()).toUpperCase(Locale.ROOT);
            assertThat(String.valueOf(map(map(raw.get("services")).get(c)).get("environment")))
                    .contains("${" + base + "_EXIT_COUNTRIES:-}");
        }
        assertThat(symbols).containsExactly("BTC_USDT", "ETH_USDT", "SOL_USDT");
        assertThat(spools).hasSize(3);
        assertThat(stripped.get("client-eth")).isEqualTo(stripped.get("client-btc"));
        assertThat(stripped.get("client-sol")).isEqualTo(stripped.get("client-btc"));
        assertThat(services.get("client-btc").get("image")).isEqualTo("mexc-pipe/client:local");
        assertThat(map(services.get("client-btc").get("build")).get("dockerfile")).isEqualTo("Dockerfile.client");
    }

    @Test
    void clientEnvironmentIsCompleteAndEveryVariableIsOneTheClientReads() throws IOException {
        Set<String> known = new TreeSet<>();
        known.addAll(envNames(root.resolve("client/src/main/java/com/mexcpipe/client/ClientConfig.java")));
        known.addAll(envNames(root.resolve("common/src/main/java/com/mexcpipe/common/clickhouse/ClickHouseSettings.java")));
        assertThat(known).contains("SYMBOL", "TOR_DATA_DIR", "SPOOL_DIR", "CLICKHOUSE_URL");
        for (String c : CLIENTS) {
            Map<String, String> env = environment(services.get(c));
            assertThat(known).as(c + ": variables the client does not read").containsAll(env.keySet());
            assertThat(env).as(c).containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123")
                    .containsEntry("CLICKHOUSE_USER", "default")
                    .containsEntry("CLICKHOUSE_PASSWORD", sampleEnv.get("CLICKHOUSE_PASSWORD"))
                    .containsEntry("CLICKHOUSE_DATABASE", "mexc")
                    .containsEntry("CONTROL_DIR", "/control")
                    .containsEntry("SPOOL_DIR", "/spool")
                    .containsEntry("TOR_ENABLED", "true")
                    .containsEntry("TOR_DATA_DIR", "/var/lib/mexc-tor")
                    .containsEntry("HTTP_PORT", "8080")
                    .containsKey("TOR_EXIT_COUNTRIES")
                    .containsEntry("SYMBOL", c.substring("client-".length()).toUpperCase(Locale.ROOT) + "_USDT");
        }
    }

    @Test
    void exporterServiceIsReachableByDockerExecAndWritesExports() {
        Map<String, Object> e = services.get("exporter");
        assertThat(e.get("container_name")).isEqualTo("exporter");
        assertThat(list(e.get("command"))).containsExactly("java", "-jar", "exporter.jar");
        assertThat(e.get("image")).isEqualTo("mexc-pipe/exporter:local");
        assertThat(map(e.get("build")).get("dockerfile")).isEqualTo("Dockerfile.exporter");
        Map<String, String> env = environment(e);
        assertThat(EXPORTER_VARS).as("variables the exporter does not read").containsAll(env.keySet());
        assertThat(env).containsEntry("CONTROL_DIR", "/control").containsEntry("EXPORT_DIR", "/exports")
                .containsEntry("HTTP_PORT", "8080").containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry("CLICKHOUSE_PASSWORD", sampleEnv.get("CLICKHOUSE_PASSWORD"));
        assertThat(env.get("SYMBOLS")).isEqualTo("BTC_USDT,ETH_USDT,SOL_USDT");
        assertThat(environment(services.get("setup-db")).get("SYMBOLS")).isEqualTo(env.get("SYMBOLS"));
        // the exporter's /tmp must allow native libraries (zstd-jni, snappy-java unpack there)
        assertThat(tmpfs(e).get("/tmp")).contains("exec");
    }

    @Test
    void volumesControlSharedSpoolPerClientExportsOnlyInTheExporter() {
        Set<String> bindMounts = new TreeSet<>();
        services.forEach((name, s) -> {
            for (Object v : list(s.get("volumes"))) {
                String spec = String.valueOf(v);
                String source = spec.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    bindMounts.add(name + " " + spec);
                }
                if (source.equals("control")) {
                    assertThat(spec).as(name).isEqualTo("control:/control");
                }
            }
        });
        assertThat(bindMounts).containsExactlyInAnyOrder("exporter ./exports:/exports",
                "clickhouse ./clickhouse.xml:/etc/clickhouse-server/config.d/zz-mexc-pipe.xml:ro");
        for (String name : services.keySet()) {
            boolean hasControl = list(services.get(name).get("volumes")).contains("control:/control");
            assertThat(hasControl).as(name + " mounts control").isEqualTo(CLIENTS.contains(name) || name.equals("exporter"));
        }
        assertThat(map(raw.get("volumes")).keySet()).containsExactlyInAnyOrder("clickhouse-data", "control",
                "spool-btc", "spool-eth", "spool-sol");
        assertThat(list(services.get("clickhouse").get("volumes"))).contains("clickhouse-data:/var/lib/clickhouse");
    }

    @Test
    void clickhouseIsPinnedPasswordProtectedAndConfigured() {
        Map<String, Object> ch = services.get("clickhouse");
        assertThat(String.valueOf(ch.get("image"))).matches("clickhouse/clickhouse-server:\\d+\\.\\d+(\\.\\d+)*");
        Map<String, String> env = environment(ch);
        assertThat(env).containsEntry("CLICKHOUSE_USER", "default")
                .containsEntry("CLICKHOUSE_PASSWORD", sampleEnv.get("CLICKHOUSE_PASSWORD"));
        // no .env (or an empty password) must stop compose, never start a password-less server
        for (String name : List.of("clickhouse", "setup-db", "client-btc", "exporter")) {
            Map<String, String> noPassword = new HashMap<>(sampleEnv);
            noPassword.put("CLICKHOUSE_PASSWORD", "");
            Object svc = map(raw.get("services")).get(name);
            assertThatThrownBy(() -> Deploy.interpolate(svc, noPassword)).as(name)
                    .hasMessageContaining("CLICKHOUSE_PASSWORD").hasMessageContaining("./setup");
        }
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, String> tmpfs(Map<String, Object> s) {
        Map<String, String> out = new LinkedHashMap<>();
        Object t = s.get("tmpfs");
        List<Object> entries = t instanceof List<?> ? list(t) : t == null ? List.of() : List.of(t);
        for (Object o : entries) {
            String e = String.valueOf(o);
            int colon = e.indexOf(':');
            out.put(colon < 0 ? e : e.substring(0, colon), colon < 0 ? "" : e.substring(colon + 1));
        }
        return out;
    }

    static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([bkmg]?)b?", Pattern.CASE_INSENSITIVE).matcher(size.strip());
        assertThat(m.matches()).as("size " + size).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** Every "NAME" read through {@code env.something("NAME", ...)} in a source file. */
    static Set<String> envNames(Path source) throws IOException {
        Matcher m = Pattern.compile("env\\.\\w+\\(\\s*\"([A-Z][A-Z0-9_]*)\"").matcher(Files.readString(source));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Node value(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        throw new AssertionError("no key " + key);
    }

    static List<String> keys(MappingNode m) {
        return m.getValue().stream().map(t -> ((ScalarNode) t.getKeyNode()).getValue()).toList();
    }
}
