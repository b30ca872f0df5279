package com.mexcpipe.testkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mexcpipe.testkit.sim.ExchangeSimulator;
import com.mexcpipe.testkit.tor.PrivateTorNetwork;
import com.mexcpipe.testkit.tor.TorAvailability;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The images without Docker: each Dockerfile's final stage is replayed on a debootstrapped bookworm root
 * filesystem (the base image's stand-in) - its own install script run by chroot, the jars copied where the
 * Dockerfile copies them - and its container started the way docker-compose.yml starts it: read-only root, the
 * service's tmpfs and volumes, compose's user (no capabilities, no_new_privs) and environment.
 *
 * <p>Client: its own tor (Debian's, inside the root filesystem) joins the private Tor test network and reaches the
 * exchange simulator on this host through it; rows must be decoded for t, d and dp, and the published exit IP must
 * be the pinned exit's source address. ClickHouse is unreachable on purpose: the rows are held and spooled.
 * Exporter: the jars run from the WORKDIR as `docker exec` would run them.
 *
 * <p>Needs root, Linux, debootstrap, tor (>= 0.4.8, for the test network) and the service jars built by Maven
 * ({@code mvn verify} packages them before testkit's tests run). About 1-2 minutes with a cached rootfs.
 */
@Tag("rehearsal")
class ImageRehearsalTest {
    static final Path ROOT = Deploy.repoRoot();
    /** Not the image default (10001): proves the APP_UID build arg and compose's user: agree end to end. */
    static final Map<String, String> REHEARSAL_ENV = Map.of("CLICKHOUSE_PASSWORD", "rehearsal-password",
            "HOST_UID", "4321", "HOST_GID", "4321");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path rootfs;
    static Rootfs.Mirror mirror;
    static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void requirements() throws IOException {
        require(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"), "Linux only");
        require(Deploy.run(List.of("id", "-u"), null, null, Duration.ofSeconds(5)).out().strip().equals("0"),
                "the rehearsal mounts and chroots: it needs root");
        for (String tool : List.of("debootstrap", "chroot", "mount", "umount", "tar", "mknod")) {
            require(Deploy.works(List.of("sh", "-c", "command -v " + tool)), tool + " is not installed (.ci/run installs debootstrap)");
        }
        for (String jar : List.of("client/target/client.jar", "exporter/target/exporter.jar", "setup-db/target/setup-db.jar")) {
            Path j = ROOT.resolve(jar);
            Path classes = j.getParent().resolve("classes");
            require(Files.isRegularFile(j), jar + " is missing: run the tests with `mvn verify` (package builds the jars)");
            require(!Files.isDirectory(classes) || newest(classes) <= Files.getLastModifiedTime(j).toMillis(),
                    jar + " is older than its classes: run the tests with `mvn verify` (package rebuilds the jars)");
        }
        long t0 = System.nanoTime();
        try {
            mirror = Rootfs.hostMirror();
            rootfs = Rootfs.pristine();
        } catch (org.opentest4j.TestAbortedException e) {
            System.out.println("DEPLOY rehearsal SKIPPED: " + e.getMessage());
            throw e;
        }
        System.out.printf("DEPLOY rehearsal rootfs %s ready in %d ms (mirror %s)%n", rootfs.getFileName(),
                (System.nanoTime() - t0) / 1_000_000, mirror.uri());
        services = new LinkedHashMap<>();
        Deploy.map(Deploy.loadYaml(ROOT.resolve("docker-compose.yml")).get("services")).forEach((name, svc) ->
                services.put(name, Deploy.map(Deploy.interpolate(svc, REHEARSAL_ENV))));
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void clientImageCollectsRowsThroughItsOwnTorAsTheComposeUser() throws Exception {
        TorAvailability tor = TorAvailability.check();
        require(tor.available(), tor.reason());
        Map<String, Object> svc = services.get("client-btc");
        long t0 = System.nanoTime();
        try (Chroot c = Chroot.extract(rootfs, "client")) {
            ImageReplay.Image img = ImageReplay.build(Dockerfile.parse(ROOT.resolve("Dockerfile.client")), c,
                    buildArgs(svc), ROOT, mirror);
            long built = System.nanoTime();
            img.log().forEach(l -> System.out.println("DEPLOY client image: " + l));
            assertThat(img.user()).isEqualTo("4321:4321").isEqualTo(String.valueOf(svc.get("user")));
            assertThat(Files.isRegularFile(c.in("/opt/mexc-pipe/client.jar"))).isTrue();
            assertThat(Files.isExecutable(c.in("/usr/bin/tor"))).isTrue();
            assertThat(Files.exists(c.in("/usr/share/tor/geoip"))).as("GeoIP for TOR_EXIT_COUNTRIES").isTrue();
            assertThat(c.in("/var/lib/apt/lists")).isEmptyDirectory();

            try (PrivateTorNetwork net = PrivateTorNetwork.builder().exits(2).start();
                    ExchangeSimulator sim = ExchangeSimulator.builder().build().start()) {
                long netUp = System.nanoTime();
                Path volumes = Files.createDirectories(c.dir.resolve("volumes"));
                ImageReplay.composeMounts(c, svc, volumes, ROOT);
                Path torrc = c.in("/tmp/tornet.torrc");
                Files.writeString(torrc, String.join("\n", net.clientTorrcLines(0)) + "\n");
                Files.setPosixFilePermissions(torrc, PosixFilePermissions.fromString("rw-r--r--"));

                int httpPort = freePort();
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("MEXC_WS_URL", sim.uri().toString());
                overrides.put("IP_ECHO_URL", sim.ipEchoUri().toString());
                overrides.put("CLICKHOUSE_URL", "http://127.0.0.1:" + freePort()); // nothing listens: rows are held
                overrides.put("TOR_EXTRA_TORRC", "/tmp/tornet.torrc");
                overrides.put("HTTP_PORT", String.valueOf(httpPort)); // the host's network is shared: no fixed 8080
                overrides.put("TOR_SOCKS_PORT", String.valueOf(freePort()));
                overrides.put("TOR_CONTROL_PORT", String.valueOf(freePort()));
                overrides.put("TOR_BOOTSTRAP_TIMEOUT_S", "120");
                Map<String, String> env = ImageReplay.containerEnv(c, img, Deploy.environment(svc), overrides);
                assertThat(env).containsEntry("SYMBOL", "BTC_USDT").containsEntry("TOR_ENABLED", "true")
                        .containsEntry("TOR_DATA_DIR", "/var/lib/mexc-tor").containsEntry("SPOOL_DIR", "/spool");

                List<String> argv = new ArrayList<>(img.entrypoint());
                argv.addAll(img.cmd());
                Path log = c.dir.resolve("client.log");
                int uid = Integer.parseInt(String.valueOf(svc.get("user")).split(":")[0]);
                int gid = Integer.parseInt(String.valueOf(svc.get("user")).split(":")[1]);
                Process p = c.start(uid, gid, img.workdir(), argv, env, log);
                long started = System.nanoTime();
                try {
                    JsonNode status = awaitStatus(p, log, httpPort, Duration.ofSeconds(180), s ->
                            decoded(s, "t") > 0 && decoded(s, "d") > 0 && decoded(s, "dp") > 0
                                    && !s.path("exit").path("exit").path("ip").asText("").isEmpty());
                    long firstRows = System.nanoTime();
                    assertThat(status.path("exit").path("exit").path("ip").asText()).isEqualTo(net.exitSourceAddress(0))
                            .isEqualTo("127.0.0.2");
                    assertThat(status.path("route").asText()).containsIgnoringCase("tor");
                    long t = decoded(status, "t");
                    long d = decoded(status, "d");
                    long dp = decoded(status, "dp");
                    JsonNode later = awaitStatus(p, log, httpPort, Duration.ofSeconds(60), s ->
                            decoded(s, "t") > t && decoded(s, "d") > d && decoded(s, "dp") > dp);
                    System.out.printf("DEPLOY client rehearsal: rows decoded %s, exit %s, store %s%n",
                            later.path("rows").path("decoded"), later.path("exit").path("exit").path("ip").asText(),
                            later.path("store").path("lastErrorKind").asText());
                    assertThat(sim.snapshot().from("127.0.0.2")).as("the simulator saw the exit's address").isNotEmpty();

                    // the image's HEALTHCHECK, run as `docker exec` runs it
                    Deploy.Result hc = c.exec(uid, gid, img.workdir(), img.healthcheck(), env, Duration.ofSeconds(20));
                    System.out.printf("DEPLOY client healthcheck: exit %d: %s%n", hc.exit(), hc.all().strip());
                    Map<String, String> wrongPort = new HashMap<>(env);
                    wrongPort.put("HTTP_PORT", String.valueOf(freePort()));
                    assertThat(c.exec(uid, gid, img.workdir(), img.healthcheck(), wrongPort, Duration.ofSeconds(20)).exit())
                            .as("the healthcheck fails when nothing answers").isNotZero();
                    assertThat(hc.exit()).as("healthcheck: " + hc.all() + "\n/health: " + get(httpPort, "/health")).isZero();

                    // the control volume carries the published exit, written as the compose user
                    Path exitJson = volumes.resolve("control/btc/exit.json");
                    assertThat(exitJson).exists();
                    assertThat(JSON.readTree(exitJson.toFile()).path("ip").asText()).isEqualTo("127.0.0.2");
                    assertThat(Files.getAttribute(exitJson, "unix:uid")).isEqualTo(uid);

                    // docker stop: SIGTERM, then stop_grace_period (30 s) before SIGKILL
                    long stop0 = System.nanoTime();
                    p.destroy();
                    boolean exited = p.waitFor(30, TimeUnit.SECONDS);
                    long stopMs = (System.nanoTime() - stop0) / 1_000_000;
                    assertThat(exited).as("the client stops within stop_grace_period:\n" + tail(log)).isTrue();
                    assertThat(p.exitValue()).as(tail(log)).isIn(0, 143);
                    try (Stream<Path> s = Files.walk(volumes.resolve("spool-btc"))) {
                        assertThat(s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum())
                                .as("unacknowledged rows are spooled on SIGTERM").isPositive();
                    }
                    awaitNoProcesses(c, Duration.ofSeconds(20));
                    System.out.printf("DEPLOY client rehearsal timings: image %d ms, tor network+simulator %d ms,"
                                    + " first rows of t/d/dp %d ms after start, stop %d ms (exit %d), total %d ms%n",
                            (built - t0) / 1_000_000, (netUp - built) / 1_000_000, (firstRows - started) / 1_000_000,
                            stopMs, p.exitValue(), (System.nanoTime() - t0) / 1_000_000);
                } catch (AssertionError | RuntimeException e) {
                    System.out.println("DEPLOY client log tail:\n" + tail(log));
                    throw e;
                } finally {
                    if (p.isAlive()) {
                        p.destroyForcibly();
                    }
                }
            }
            Path dir = c.dir;
            c.close();
            assertThat(Chroot.mountsUnder(dir)).isEmpty();
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void exporterImageRunsBothJarsFromItsWorkdirAsTheComposeUser() throws Exception {
        Map<String, Object> svc = services.get("exporter");
        Map<String, Object> setupDb = services.get("setup-db");
        long t0 = System.nanoTime();
        try (Chroot c = Chroot.extract(rootfs, "exporter")) {
            ImageReplay.Image img = ImageReplay.build(Dockerfile.parse(ROOT.resolve("Dockerfile.exporter")), c,
                    buildArgs(svc), ROOT, mirror);
            long built = System.nanoTime();
            img.log().forEach(l -> System.out.println("DEPLOY exporter image: " + l));
            assertThat(img.workdir()).isEqualTo("/opt/mexc-pipe");
            assertThat(c.in("/opt/mexc-pipe/exporter.jar")).isRegularFile();
            assertThat(c.in("/opt/mexc-pipe/setup-db.jar")).isRegularFile();
            assertThat(img.user()).isEqualTo(String.valueOf(svc.get("user")));

            Path project = Files.createDirectories(c.dir.resolve("project"));
            Path exports = Files.createDirectories(project.resolve("exports"));
            Files.setAttribute(exports, "unix:uid", 4321); // what ./setup does for HOST_UID
            Files.setAttribute(exports, "unix:gid", 4321);
            ImageReplay.composeMounts(c, svc, Files.createDirectories(c.dir.resolve("volumes")), project);
            int uid = img.uid();
            int gid = img.gid();
            Map<String, String> env = ImageReplay.containerEnv(c, img, Deploy.environment(svc), Map.of());

            // docker exec exporter java -jar exporter.jar --help (the exporter's CLI is finished in parallel)
            Deploy.Result exporterHelp = c.exec(uid, gid, img.workdir(), List.of("java", "-jar", "exporter.jar", "--help"),
                    env, Duration.ofSeconds(60));
            System.out.printf("DEPLOY exporter.jar --help: exit %d in %d ms: %s%n", exporterHelp.exit(),
                    exporterHelp.took().toMillis(), firstLine(exporterHelp.out()));
            assertThat(exporterHelp.exit()).as(exporterHelp.all()).isZero();
            if (!exporterHelp.out().contains("not implemented")) {
                // the real CLI: its help must offer what the README tells users to run
                assertThat(exporterHelp.out()).contains("--once");
            }

            Deploy.Result setupHelp = c.exec(uid, gid, img.workdir(), List.of("java", "-jar", "setup-db.jar", "--help"),
                    env, Duration.ofSeconds(60));
            assertThat(setupHelp.exit()).as(setupHelp.all()).isZero();
            assertThat(setupHelp.out()).contains("setup-db.jar").contains("SYMBOLS");

            // setup-db as compose runs it (entrypoint + command), ClickHouse down: a clear failure, exit 3
            Map<String, String> setupEnv = ImageReplay.containerEnv(c, img, Deploy.environment(setupDb),
                    Map.of("CLICKHOUSE_URL", "http://127.0.0.1:" + freePort(), "SETUP_WAIT_S", "2"));
            List<String> setupArgv = new ArrayList<>(img.entrypoint());
            setupArgv.addAll(Deploy.list(setupDb.get("command")).stream().map(String::valueOf).toList());
            Deploy.Result setup = c.exec(uid, gid, img.workdir(), setupArgv, setupEnv, Duration.ofSeconds(90));
            System.out.printf("DEPLOY setup-db without ClickHouse: exit %d: %s%n", setup.exit(), lastLine(setup.all()));
            assertThat(setup.exit()).as(setup.all()).isEqualTo(3);
            assertThat(setup.all()).containsIgnoringCase("clickhouse");

            // the exporter's entrypoint accepts the compose mounts as this user, and names a wrong owner
            List<String> check = new ArrayList<>(img.entrypoint());
            check.addAll(List.of("java", "-version"));
            Deploy.Result ok = c.exec(uid, gid, img.workdir(), check, env, Duration.ofSeconds(60));
            assertThat(ok.exit()).as(ok.all()).isZero();
            Files.setAttribute(exports, "unix:uid", 9999);
            Deploy.Result wrong = c.exec(uid, gid, img.workdir(), check, env, Duration.ofSeconds(60));
            assertThat(wrong.exit()).as(wrong.all()).isEqualTo(2);
            assertThat(wrong.err()).contains("EXPORT_DIR=/exports is not writable by uid 4321");
            System.out.printf("DEPLOY exporter rehearsal timings: image %d ms, checks %d ms, total %d ms%n",
                    (built - t0) / 1_000_000, (System.nanoTime() - built) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
            Path dir = c.dir;
            c.close();
            assertThat(Chroot.mountsUnder(dir)).isEmpty();
            assertThat(dir).doesNotExist();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** An assumption that also prints why the rehearsal is skipped (surefire shows a skipped class as 0 tests). */
    static void require(boolean condition, String reason) {
        if (!condition) {
            System.out.println("DEPLOY rehearsal SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    static Map<String, String> buildArgs(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        Deploy.map(Deploy.map(service.get("build")).get("args")).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    interface Condition {
        boolean met(JsonNode status);
    }

    static JsonNode awaitStatus(Process p, Path log, int port, Duration timeout, Condition c) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the client exited (" + p.exitValue() + "):\n" + tail(log));
            }
            try {
                String body = get(port, "/status");
                if (body != null) {
                    last = JSON.readTree(body);
                    if (c.met(last)) {
                        return last;
                    }
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("timed out after " + timeout + "; last status " + last + "\n" + tail(log));
    }

    static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static long decoded(JsonNode status, String mt) {
        return status.path("rows").path("decoded").path(mt).asLong(0);
    }

    static void awaitNoProcesses(Chroot c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.processes().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(c.processes()).as("nothing (tor) outlives the client").isEmpty();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long newest(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
        }
    }

    static String tail(Path log) {
        try {
            return Files.exists(log) ? Rootfs.tail(Files.readString(log), 60) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }

    static String lastLine(String s) {
        List<String> l = s.lines().filter(x -> !x.isBlank()).toList();
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }
}
