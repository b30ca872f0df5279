package com.mexcpipe.testkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./setup in a temporary copy of the repository: usage, and every early failure (no Docker, no daemon, no Compose,
 * old Compose, no Java) exits non-zero with what to do and leaves nothing behind. The full run is exercised with a
 * stub {@code docker} (a Docker engine cannot run here): .env, exports/, verif.jar, idempotence, late failures.
 */
class SetupScriptTest {
    static final Path ROOT = Deploy.repoRoot();
    static final List<String> FILES = List.of("setup", "docker-compose.yml", "Dockerfile.client", "Dockerfile.exporter",
            ".dockerignore", "clickhouse.xml", ".env.example");

    /** PATH sandboxes, shared by the tests (thousands of symlinks each). */
    @TempDir
    static Path sandboxes;
    static final Map<Set<String>, Path> SANDBOX_CACHE = new HashMap<>();

    /** Removes the links first: JUnit's cleanup logs a warning for each link leaving the temp dir (thousands). */
    @AfterAll
    static synchronized void removeSandboxLinks() throws IOException {
        for (Path bin : SANDBOX_CACHE.values()) {
            try (Stream<Path> s = Files.list(bin)) {
                for (Path link : s.toList()) {
                    Files.delete(link); // the link, never its target
                }
            }
        }
        SANDBOX_CACHE.clear();
    }

    @TempDir
    Path tmp;
    Path repo;
    Path tmpdir;
    Path stubs;

    @BeforeEach
    void copyRepository() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        for (String f : FILES) {
            Files.copy(ROOT.resolve(f), repo.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createDirectories(repo.resolve("docker"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docker"))) {
            for (Path p : s.toList()) {
                Files.copy(p, repo.resolve("docker").resolve(p.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        stubs = Files.createDirectories(tmp.resolve("stubs"));
    }

    // ------------------------------------------------------------------ usage

    @Test
    void helpPrintsUsageAndExitsZero() {
        Deploy.Result r = setup(null, "--help");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Usage: ./setup").contains("--with-test-tools").contains("--no-install")
                .contains("Exit codes").contains("docker compose up -d");
        assertThat(setup(null, "-h").out()).isEqualTo(r.out());
        assertNothingCreated();
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        Deploy.Result r = setup(null, "--frobnicate");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("unknown argument: --frobnicate").contains("Usage: ./setup");
        assertNothingCreated();
    }

    // ------------------------------------------------------------------ early failures

    @Test
    void onThisMachineWithoutADockerDaemonItSaysSoAndLeavesNothing() {
        assumeFalse(Deploy.works(List.of("docker", "info")), "a Docker daemon answers here; this case needs none");
        Deploy.Result r = setup(null);
        System.out.printf("DEPLOY setup without a Docker daemon: exit %d in %d ms%n", r.exit(), r.took().toMillis());
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).containsAnyOf("the Docker daemon is not reachable", "Docker is not installed")
                .contains("https://docs.docker.com");
        assertNothingCreated();
    }

    @Test
    void withoutDockerItNamesTheInstallCommands() throws IOException {
        Deploy.Result r = setup(env(sandboxPath(Set.of("docker", "docker-compose"))));
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("Docker is not installed").contains("get.docker.com")
                .contains("apt-get install -y docker.io docker-compose").contains("https://docs.docker.com/engine/install/");
        assertNothingCreated();
    }

    @Test
    void aDockerClientWithoutItsDaemonIsNotEnough() throws IOException {
        Deploy.Result r = setup(stubEnv("STUB_INFO", "down"));
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("the Docker daemon is not reachable").contains("systemctl enable --now docker")
                .contains("Cannot connect to the Docker daemon");
        assertNothingCreated();
    }

    @Test
    void aDaemonThisUserMayNotUseSaysHowToJoinTheDockerGroup() throws IOException {
        Deploy.Result r = setup(stubEnv("STUB_INFO", "denied"));
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("may not use it").contains("usermod -aG docker");
        assertNothingCreated();
    }

    @Test
    void withoutComposeItNamesThePlugin() throws IOException {
        Deploy.Result r = setup(stubEnv("STUB_COMPOSE", "none"));
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("Docker Compose is not installed").contains("docker-compose-plugin")
                .contains("https://docs.docker.com/compose/install/linux/");
        assertNothingCreated();
    }

    @Test
    void composeV1OlderThan1_29IsRefused() throws IOException {
        writeStub("docker-compose", "#!/bin/bash\ncase \"$*\" in \"version --short\") echo 1.25.0 ;; *) exit 1 ;; esac\n");
        Deploy.Result r = setup(stubEnv("STUB_COMPOSE", "none"));
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("docker-compose 1.25.0 is too old").contains("service_completed_successfully");
        assertNothingCreated();
    }

    @Test
    void withoutJavaAndNoInstallItListsThePackage() throws IOException {
        Map<String, String> env = stubEnv(sandboxPath(Set.of("docker", "docker-compose", "java")));
        Deploy.Result r = setup(env, "--no-install");
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).contains("missing on this host: openjdk-17-jre-headless").contains("--no-install given")
                .contains("https://adoptium.net/");
        assertNothingCreated();
    }

    // ------------------------------------------------------------------ full runs (stub docker)

    @Test
    void aFullRunWritesEnvExportsAndVerifJarAndASecondRunChangesNothing() throws IOException {
        Path log = tmp.resolve("docker-calls.log");
        Map<String, String> env = stubEnv("STUB_LOG", log.toString());
        Deploy.Result r = setup(env);
        System.out.printf("DEPLOY setup full run (stub docker): exit %d in %d ms%n", r.exit(), r.took().toMillis());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Wrote .env (mode 600)").contains("Copied verif.jar")
                .contains("docker compose up -d").contains("java -jar verif.jar ip");

        Path dotEnv = repo.resolve(".env");
        assertThat(Files.getPosixFilePermissions(dotEnv)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> values = Deploy.readEnvFile(dotEnv);
        assertThat(values.get("CLICKHOUSE_PASSWORD")).matches("[0-9a-f]{48}");
        int uid = currentUid();
        String expectedUid = uid == 0 ? "10001" : String.valueOf(uid);
        assertThat(values).containsEntry("HOST_UID", expectedUid).containsKey("HOST_GID");
        assertThat(Files.readString(repo.resolve("verif.jar"))).isEqualTo("PK-stub-verif");
        assertThat(Files.isDirectory(repo.resolve("exports"))).isTrue();
        assertThat(String.valueOf(Files.getAttribute(repo.resolve("exports"), "unix:uid"))).isEqualTo(expectedUid);
        assertThat(Files.readString(log)).contains("compose --env-file").contains(" config -q").contains(" build")
                .contains("build -q -f Dockerfile.exporter --target build -t mexc-pipe/build:local .")
                .contains("cp stubcid:/src/verif/target/verif.jar");
        assertTmpdirEmpty();

        String before = Files.readString(dotEnv);
        Deploy.Result again = setup(env);
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.out()).contains(".env exists: kept as it is").doesNotContain("Wrote .env");
        assertThat(Files.readString(dotEnv)).isEqualTo(before);
        assertTmpdirEmpty();
    }

    @Test
    void anExistingEnvKeepsItsValuesAndGetsOnlyTheMissingKeys() throws IOException {
        Files.writeString(repo.resolve(".env"), "# mine\nCLICKHOUSE_PASSWORD=my-own-secret\nBTC_EXIT_COUNTRIES=de\n");
        Deploy.Result r = setup(stubEnv(), "--no-build");
        assertThat(r.exit()).as(r.all()).isZero();
        String text = Files.readString(repo.resolve(".env"));
        assertThat(text).startsWith("# mine\nCLICKHOUSE_PASSWORD=my-own-secret\nBTC_EXIT_COUNTRIES=de\n")
                .contains("HOST_UID=").contains("HOST_GID=");
        assertThat(text.split("CLICKHOUSE_PASSWORD=", -1)).hasSize(2);
        assertThat(r.out()).contains("Added to .env: HOST_UID HOST_GID");
        assertThat(Files.getPosixFilePermissions(repo.resolve(".env"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(repo.resolve("verif.jar")).doesNotExist();
    }

    @Test
    void everySymbolInEnvGetsItsOwnClientServiceAndTheDefaultListGivesTheCommittedFile() throws IOException {
        String committed = Files.readString(repo.resolve("docker-compose.yml"));
        Files.writeString(repo.resolve(".env"), "SYMBOLS=BTC_USDT,ETH_USDT,SOL_USDT,XRP_USDT\n");
        Deploy.Result r = setup(stubEnv(), "--no-build");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("client-btc client-eth client-sol client-xrp");
        Map<String, Object> yaml = Deploy.loadYaml(repo.resolve("docker-compose.yml"));
        Map<String, Object> services = Deploy.map(yaml.get("services"));
        assertThat(services).containsKeys("client-btc", "client-eth", "client-sol", "client-xrp");
        Map<String, Object> xrp = Deploy.map(services.get("client-xrp"));
        assertThat(Deploy.map(xrp.get("environment"))).containsEntry("SYMBOL", "XRP_USDT")
                .containsEntry("TOR_EXIT_COUNTRIES", "${XRP_EXIT_COUNTRIES:-}").containsKey("CLICKHOUSE_URL");
        assertThat(Deploy.list(xrp.get("ports"))).containsExactly("127.0.0.1:8084:8080");
        assertThat(Deploy.list(xrp.get("volumes"))).containsExactly("control:/control", "spool-xrp:/spool");
        assertThat(Deploy.map(yaml.get("volumes"))).containsKeys("spool-btc", "spool-eth", "spool-sol", "spool-xrp");
        assertThat(xrp).as("the shared client definition applies").containsKeys("healthcheck", "read_only", "tmpfs");
        // the exporter's port sits below the clients', whatever their number
        assertThat(Deploy.list(Deploy.map(services.get("exporter")).get("ports")))
                .containsExactly("127.0.0.1:${STATUS_PORT_BASE:-8080}:8080");

        String four = Files.readString(repo.resolve("docker-compose.yml"));
        assertThat(setup(stubEnv(), "--no-build").out()).contains("docker-compose.yml has them already");
        assertThat(Files.readString(repo.resolve("docker-compose.yml"))).isEqualTo(four);

        Files.writeString(repo.resolve(".env"), Files.readString(repo.resolve(".env"))
                .replace("SYMBOLS=BTC_USDT,ETH_USDT,SOL_USDT,XRP_USDT", "SYMBOLS=BTC_USDT,ETH_USDT,SOL_USDT"));
        assertThat(setup(stubEnv(), "--no-build").exit()).isZero();
        assertThat(Files.readString(repo.resolve("docker-compose.yml"))).isEqualTo(committed);
    }

    @Test
    void aBadSymbolListStopsSetupBeforeAnythingIsWritten() throws IOException {
        String committed = Files.readString(repo.resolve("docker-compose.yml"));
        for (String bad : List.of("BTC_USDT,btc-usd", "BTC_USDT,BTC_USDC")) {
            Files.writeString(repo.resolve(".env"), "SYMBOLS=" + bad + "\n");
            Deploy.Result r = setup(stubEnv(), "--no-build");
            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.err()).contains("SYMBOLS=" + bad);
            assertThat(Files.readString(repo.resolve("docker-compose.yml"))).isEqualTo(committed);
            assertThat(Files.readString(repo.resolve(".env"))).isEqualTo("SYMBOLS=" + bad + "\n");
            assertThat(repo.resolve("exports")).doesNotExist();
        }
    }

    @Test
    void aHostThatCapsOpenFilesBelowClickHousesLimitGetsTheCapInEnvWithAWarning() throws IOException {
        List<String> cmd = List.of("bash", "-c", "ulimit -n 4096 && exec bash ./setup --no-build");
        Deploy.Result r = Deploy.run(cmd, repo, stubEnv(), Duration.ofSeconds(120));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.err()).contains("warning: this host caps open files at 4096");
        assertThat(Deploy.readEnvFile(repo.resolve(".env"))).containsEntry("CLICKHOUSE_NOFILE", "4096");
        // a value the user chose is kept, even where the host allows more
        Files.writeString(repo.resolve(".env"), Files.readString(repo.resolve(".env")).replace("CLICKHOUSE_NOFILE=4096",
                "CLICKHOUSE_NOFILE=2048"));
        r = Deploy.run(cmd, repo, stubEnv(), Duration.ofSeconds(120));
        assertThat(r.err()).doesNotContain("caps open files");
        assertThat(Deploy.readEnvFile(repo.resolve(".env"))).containsEntry("CLICKHOUSE_NOFILE", "2048");
    }

    @Test
    void underSudoTheServicesRunAsTheInvokingUser() throws IOException {
        assumeFalse(currentUid() != 0, "needs root (sudo is simulated with SUDO_UID/SUDO_GID)");
        Map<String, String> env = stubEnv("SUDO_UID", "4321", "SUDO_GID", "4322");
        Deploy.Result r = setup(env);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(Deploy.readEnvFile(repo.resolve(".env"))).containsEntry("HOST_UID", "4321").containsEntry("HOST_GID", "4322");
        for (String f : List.of(".env", "verif.jar", "exports")) {
            assertThat(Files.getAttribute(repo.resolve(f), "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(f).isEqualTo(4321);
        }
    }

    @Test
    void aFailedImageBuildLeavesNoEnvNoJarNoExports() throws IOException {
        Deploy.Result r = setup(stubEnv("STUB_BUILD_RC", "1"));
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.err()).contains("the image build failed");
        assertNothingCreated();
    }

    // ------------------------------------------------------------------ helpers

    private Deploy.Result setup(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("setup").toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = env == null ? baseEnv(System.getenv("PATH")) : env;
        return Deploy.run(cmd, repo, e, Duration.ofSeconds(120));
    }

    private Map<String, String> baseEnv(String path) {
        Map<String, String> e = new HashMap<>();
        e.put("PATH", path);
        e.put("HOME", tmp.toString());
        e.put("TMPDIR", tmpdir.toString());
        e.put("LANG", "C.UTF-8");
        return e;
    }

    private Map<String, String> env(Path sandboxBin) {
        return baseEnv(sandboxBin.toString());
    }

    /** A working Docker engine with Compose v2 (stub), the real tools otherwise; key/value pairs tune the stub. */
    private Map<String, String> stubEnv(String... kv) throws IOException {
        return stubEnv(sandboxPath(Set.of("docker", "docker-compose")), kv);
    }

    private Map<String, String> stubEnv(Path sandbox, String... kv) throws IOException {
        writeStub("docker", DOCKER_STUB);
        Map<String, String> e = baseEnv(stubs + ":" + sandbox);
        String real = Deploy.works(List.of("docker-compose", "version")) ? "docker-compose" : "";
        e.put("STUB_REAL_COMPOSE", real.isEmpty() ? "" : System.getenv("PATH") + "|" + real);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            e.put(kv[i], kv[i + 1]);
        }
        return e;
    }

    private void writeStub(String name, String text) throws IOException {
        Path p = stubs.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
    }

    /** A PATH directory with every command of this machine except {@code without} (a host that lacks them). */
    private static synchronized Path sandboxPath(Set<String> without) throws IOException {
        Path cached = SANDBOX_CACHE.get(without);
        if (cached != null) {
            return cached;
        }
        Path bin = Files.createDirectories(sandboxes.resolve("sandbox-" + SANDBOX_CACHE.size()));
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (without.contains(p.getFileName().toString()) || Files.exists(link, LinkOption.NOFOLLOW_LINKS)
                            || !Files.isExecutable(p)) {
                        continue;
                    }
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        SANDBOX_CACHE.put(without, bin);
        return bin;
    }

    private void assertNothingCreated() {
        assertThat(repo.resolve(".env")).doesNotExist();
        assertThat(repo.resolve("verif.jar")).doesNotExist();
        assertThat(repo.resolve("exports")).doesNotExist();
        try (Stream<Path> s = Files.list(repo)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("setup", "docker-compose.yml", "Dockerfile.client", "Dockerfile.exporter",
                            ".dockerignore", "clickhouse.xml", ".env.example", "docker");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTmpdirEmpty();
    }

    private void assertTmpdirEmpty() {
        try (Stream<Path> s = Files.list(tmpdir)) {
            assertThat(s.toList()).as("setup's staging directory is removed").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int currentUid() {
        return Integer.parseInt(Deploy.run(List.of("id", "-u"), null, null, Duration.ofSeconds(10)).out().strip());
    }

    /** The docker CLI of a working engine with Compose v2; STUB_* variables make it fail in chosen ways. */
    static final String DOCKER_STUB = """
            #!/bin/bash
            # test stub of the docker CLI (SetupScriptTest)
            echo "docker $*" >>"${STUB_LOG:-/dev/null}"
            case "$1" in
              --version) echo "Docker version 99.0.0, build stub"; exit 0 ;;
              info)
                case "${STUB_INFO:-ok}" in
                  ok) echo "99.0.0"; exit 0 ;;
                  denied) echo "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock" >&2; exit 1 ;;
                  *) echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1 ;;
                esac ;;
              compose)
                [ "${STUB_COMPOSE:-v2}" = v2 ] || { echo "docker: 'compose' is not a docker command." >&2; exit 1; }
                shift
                case "$*" in
                  version) echo "Docker Compose version v2.99.0"; exit 0 ;;
                  "version --short") echo "2.99.0"; exit 0 ;;
                  *" config -q")
                    # validate with the real docker-compose when there is one ("PATH|binary")
                    if [ -n "${STUB_REAL_COMPOSE:-}" ]; then PATH=${STUB_REAL_COMPOSE%%|*} exec "${STUB_REAL_COMPOSE##*|}" "$@"; fi
                    exit 0 ;;
                  *" build") echo "stub: compose build"; exit "${STUB_BUILD_RC:-0}" ;;
                esac
                echo "stub: unexpected compose $*" >&2; exit 99 ;;
              build) exit 0 ;;
              create) echo "stubcid"; exit 0 ;;
              cp) printf 'PK-stub-verif' >"$3"; exit 0 ;;
              rm) exit 0 ;;
            esac
            echo "stub: unexpected docker $*" >&2; exit 99
            """;
}
