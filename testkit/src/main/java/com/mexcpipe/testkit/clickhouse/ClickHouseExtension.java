package com.mexcpipe.testkit.clickhouse;

import com.mexcpipe.testkit.chdb.ChdbLibrary;
import com.mexcpipe.testkit.chdb.ChdbProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The ClickHouse fixture: resolves {@link ClickHouseBackend} parameters (constructor, lifecycle and test methods).
 *
 * <pre>{@code
 * @ExtendWith(ClickHouseExtension.class)
 * class MyTest {
 *     @Test
 *     void roundTrip(ClickHouseBackend ch) throws Exception {
 *         String db = ch.createDatabase("mytest");
 *         try (Connection c = ch.connection(db)) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The backend is chosen once per test JVM ({@link #plan}) by precedence:
 * <ol>
 *   <li>env {@code CLICKHOUSE_URL} (+ {@code CLICKHOUSE_USER}, default {@code default}; {@code CLICKHOUSE_PASSWORD},
 *       default empty): an existing server;</li>
 *   <li>Testcontainers {@value #IMAGE} when Docker is available <em>and already has that image</em> (a daemon
 *       without it, e.g. one with no registry, would make every test wait for a pull that cannot succeed);</li>
 *   <li>the chDB endpoint ({@link ChdbProcess}, a child JVM) when libchdb is found ({@code CHDB_LIB}, else
 *       {@code ~/.cache/mexc-pipe/chdb/package/libchdb.so}, filled by {@code .ci/fetch-chdb});</li>
 *   <li>otherwise the tests are skipped (aborted) with a reason that says what is missing.</li>
 * </ol>
 * {@code CLICKHOUSE_BACKEND=chdb} or {@code =testcontainers} forces one of the last two ({@code testcontainers} also
 * when the image still has to be pulled). The backend lives in the
 * root {@link ExtensionContext.Store} and is stopped when the test run ends. One line on stdout and a report entry
 * ({@code clickhouse.backend}) say which backend runs.
 */
public final class ClickHouseExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback {
    /** What Testcontainers would find: no engine, an engine without {@link #IMAGE}, or one with it. */
    public enum DockerState { ABSENT, WITHOUT_IMAGE, WITH_IMAGE }

    /** The server image for Testcontainers: a current LTS. */
    public static final String IMAGE = "clickhouse/clickhouse-server:25.8";
    public static final String URL_ENV = "CLICKHOUSE_URL";
    public static final String USER_ENV = "CLICKHOUSE_USER";
    public static final String PASSWORD_ENV = "CLICKHOUSE_PASSWORD";
    public static final String BACKEND_ENV = "CLICKHOUSE_BACKEND";
    public static final String REPORT_KEY = "clickhouse.backend";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClickHouseExtension.class);

    /** The backend chosen for this run, before anything is started. */
    public sealed interface Plan permits External, Container, Chdb, Skip {
        /** One line: what runs, or {@code skipped: <reason>}. */
        String describe();
    }

    /** An existing server from {@code CLICKHOUSE_URL}. */
    public record External(String url, String user, String password) implements Plan {
        @Override
        public String describe() {
            return "external ClickHouse at " + url + " (" + URL_ENV + ")";
        }
    }

    /** A Testcontainers container of {@code image}. */
    public record Container(String image) implements Plan {
        @Override
        public String describe() {
            return "Testcontainers " + image;
        }
    }

    /** The chDB endpoint with {@code library}; {@code why} says why not Docker. */
    public record Chdb(Path library, String why) implements Plan {
        @Override
        public String describe() {
            return "chDB endpoint (libchdb " + library + "; " + why + ")";
        }
    }

    /** No backend: tests are skipped for {@code reason}. */
    public record Skip(String reason) implements Plan {
        @Override
        public String describe() {
            return "skipped: " + reason;
        }
    }

    /**
     * The backend selection as a pure function of the environment, so that it can be tested with injected values.
     *
     * @param env             the environment ({@code System.getenv()})
     * @param docker   asked only when needed (Testcontainers' check, then whether the image is local)
     * @param userHome        for the default libchdb path
     */
    public static Plan plan(Map<String, String> env, Supplier<DockerState> docker, String userHome) {
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            return new External(url.strip(), env.getOrDefault(USER_ENV, "default"), env.getOrDefault(PASSWORD_ENV, ""));
        }
        String forced = env.getOrDefault(BACKEND_ENV, "").strip().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("chdb") && !forced.equals("testcontainers")) {
            return new Skip(BACKEND_ENV + "=" + forced + " is not one of chdb, testcontainers (or set " + URL_ENV + ")");
        }
        String noDocker;
        if (forced.equals("chdb")) {
            noDocker = BACKEND_ENV + "=chdb";
        } else {
            DockerState state = docker.get();
            if (state == DockerState.WITH_IMAGE || state == DockerState.WITHOUT_IMAGE && forced.equals("testcontainers")) {
                return new Container(IMAGE);
            } else if (forced.equals("testcontainers")) {
                return new Skip(BACKEND_ENV + "=testcontainers but Testcontainers finds no Docker environment");
            }
            noDocker = state == DockerState.ABSENT ? "no Docker for Testcontainers"
                    : "Docker has no local " + IMAGE + " image (not pulled: set " + BACKEND_ENV + "=testcontainers to pull)";
        }
        Path library = ChdbLibrary.locate(env, userHome);
        if (Files.isRegularFile(library)) {
            return new Chdb(library, noDocker);
        }
        return new Skip("no ClickHouse backend: " + URL_ENV + " is not set, " + noDocker + ", and libchdb was not found at "
                + library + (env.containsKey(ChdbLibrary.ENV) ? " (" + ChdbLibrary.ENV + ")" : "")
                + ". Run .ci/fetch-chdb (needs npm and network; fetches " + ChdbLibrary.PACKAGE
                + "), or set " + ChdbLibrary.ENV + " to a libchdb.so, or " + URL_ENV + " to a server, or start Docker.");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Holder holder = holder(context);
        holder.abortIfSkipped();
        context.publishReportEntry(REPORT_KEY, holder.description);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        holder(context).abortIfSkipped();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ClickHouseBackend.class;
    }

    @Override
    public ClickHouseBackend resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Holder holder = holder(extensionContext);
        if (holder.backend == null) {
            // beforeAll/beforeEach abort first; this is reached only when the extension is registered oddly
            throw new ParameterResolutionException("no ClickHouse backend: " + holder.description);
        }
        return holder.backend;
    }

    private static Holder holder(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, k -> Holder.create(),
                Holder.class);
    }

    /** The backend of this test run; closed by JUnit with the root store. */
    static final class Holder implements AutoCloseable {
        final ClickHouseBackend backend;
        final String description;
        private final AutoCloseable resource;
        private final Plan plan;

        private Holder(Plan plan, ClickHouseBackend backend, String description, AutoCloseable resource) {
            this.plan = plan;
            this.backend = backend;
            this.description = description;
            this.resource = resource;
        }

        static Holder create() {
            Plan plan = plan(System.getenv(), ClickHouseExtension::dockerState, System.getProperty("user.home"));
            Holder holder = start(plan);
            System.out.println("[clickhouse] backend: " + holder.description);
            return holder;
        }

        private static Holder start(Plan plan) {
            if (plan instanceof External p) {
                ClickHouseBackend b = new ClickHouseBackend("external ClickHouse", p.url(), p.user(), p.password());
                return new Holder(plan, b, b.name() + " at " + p.url() + " (" + URL_ENV + ")", null);
            }
            if (plan instanceof Container p) {
                ClickHouseContainer container = new ClickHouseContainer(DockerImageName.parse(p.image()));
                container.waitingFor(Wait.forHttp("/ping").forPort(8123).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
                container.start();
                ClickHouseBackend b = new ClickHouseBackend("ClickHouse " + p.image(),
                        "http://" + container.getHost() + ":" + container.getMappedPort(8123),
                        container.getUsername(), container.getPassword());
                return new Holder(plan, b, b.name() + " at " + b.httpUrl() + " (Testcontainers)", container::stop);
            }
            if (plan instanceof Chdb p) {
                ChdbProcess process;
                try {
                    process = ChdbProcess.start(p.library());
                } catch (Exception e) {
                    throw new IllegalStateException("libchdb is at " + p.library()
                            + " but the chDB endpoint did not start: " + e.getMessage(), e);
                }
                ClickHouseBackend b = new ClickHouseBackend("chDB " + process.version(), process.url(), "default", "");
                return new Holder(plan, b, b.name() + " at " + b.httpUrl() + " (libchdb " + p.library() + "; "
                        + p.why() + "; pid " + process.pid() + ", log " + process.logFile() + ")", process);
            }
            return new Holder(plan, null, plan.describe(), null);
        }

        void abortIfSkipped() {
            if (plan instanceof Skip skip) {
                Assumptions.abort("ClickHouse tests " + skip.describe());
            }
        }

        @Override
        public void close() {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop the ClickHouse backend " + description, e);
                }
            }
        }
    }

    /** Testcontainers' own check, then an image lookup on that engine; ABSENT on any error (no engine, no socket). */
    static DockerState dockerState() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return DockerState.ABSENT;
            }
        } catch (Exception | LinkageError e) {
            return DockerState.ABSENT;
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            return DockerState.WITH_IMAGE;
        } catch (Exception | LinkageError e) {
            return DockerState.WITHOUT_IMAGE; // NotFoundException: the image is not local
        }
    }
}
