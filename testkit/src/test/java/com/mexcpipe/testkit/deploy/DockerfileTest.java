package com.mexcpipe.testkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The static promises of Dockerfile.client, Dockerfile.exporter, .dockerignore, clickhouse.xml and docker/*.sh. */
class DockerfileTest {
    static final Path ROOT = Deploy.repoRoot();
    /** What the image rehearsal knows how to replay (ImageRehearsalTest). */
    static final Set<String> REHEARSED = Set.of("ARG", "ENV", "COPY", "RUN", "USER", "WORKDIR", "EXPOSE", "LABEL",
            "HEALTHCHECK", "ENTRYPOINT", "CMD");

    static final Dockerfile CLIENT = Dockerfile.parse(ROOT.resolve("Dockerfile.client"));
    static final Dockerfile EXPORTER = Dockerfile.parse(ROOT.resolve("Dockerfile.exporter"));

    @Test
    void baseImagesArePinned() {
        for (Dockerfile d : List.of(CLIENT, EXPORTER)) {
            assertThat(d.stages).as(d.file.toString()).hasSize(2);
            assertThat(d.stage("build").from()).as(d.file + " build stage")
                    .matches("maven:3\\.9\\.\\d+-eclipse-temurin-17");
            assertThat(d.finalStage().from()).as(d.file + " final stage")
                    .matches("debian:bookworm-\\d{8}-slim@sha256:[0-9a-f]{64}");
        }
    }

    @Test
    void bothImagesShareOneBuildStageSoOneMavenBuildServesBoth() {
        assertThat(EXPORTER.stage("build").instructions().stream().map(i -> i.keyword() + " " + i.args()).toList())
                .isEqualTo(CLIENT.stage("build").instructions().stream().map(i -> i.keyword() + " " + i.args()).toList());
        assertThat(EXPORTER.globalArgs).isEqualTo(CLIENT.globalArgs);
        assertThat(CLIENT.stage("build").workdir()).isEqualTo("/src");
    }

    @Test
    void finalStagesAreThinNonRootAndHealthchecked() {
        for (Dockerfile d : List.of(CLIENT, EXPORTER)) {
            Dockerfile.Stage s = d.finalStage();
            for (Dockerfile.Instruction i : s.instructions()) {
                assertThat(REHEARSED).as(d.file + ":" + i.line() + " " + i.keyword()
                        + " is not replayed by the image rehearsal").contains(i.keyword());
            }
            assertThat(s.all("ARG").stream().map(Dockerfile.Instruction::args).toList())
                    .contains("APP_UID=10001", "APP_GID=10001");
            assertThat(s.all("USER")).hasSize(1);
            assertThat(s.all("USER").get(0).args()).isEqualTo("${APP_UID}:${APP_GID}");
            assertThat(s.workdir()).isEqualTo("/opt/mexc-pipe");
            assertThat(s.all("HEALTHCHECK")).hasSize(1);
            String hc = s.all("HEALTHCHECK").get(0).args();
            assertThat(Dockerfile.execForm(hc.substring(hc.indexOf("CMD ") + 4)))
                    .containsExactly("/opt/mexc-pipe/bin/healthcheck.sh");
            // what it installs lives in a script, run by one RUN
            assertThat(s.all("RUN")).hasSize(1);
            assertThat(s.all("RUN").get(0).args()).matches("bash /tmp/mexc-install/install-(client|exporter)\\.sh && rm -rf /tmp/mexc-install");
            assertThat(s.all("ENTRYPOINT")).hasSize(1);
            String entry = Dockerfile.execForm(s.all("ENTRYPOINT").get(0).args()).get(0);
            assertThat(entry).startsWith("/opt/mexc-pipe/bin/");
            Path script = ROOT.resolve("docker").resolve(Path.of(entry).getFileName());
            assertThat(Files.isExecutable(script)).as(script + " executable").isTrue();
        }
    }

    @Test
    void exporterJarsSitInTheWorkdirSoDockerExecJavaDashJarWorks() {
        Dockerfile.Stage s = EXPORTER.finalStage();
        String copy = s.all("COPY").stream().map(Dockerfile.Instruction::args)
                .filter(a -> a.contains("exporter.jar")).findFirst().orElseThrow();
        assertThat(copy).isEqualTo("--from=build /src/exporter/target/exporter.jar /src/setup-db/target/setup-db.jar "
                + s.workdir() + "/");
        assertThat(Dockerfile.execForm(s.all("CMD").get(0).args())).containsExactly("java", "-jar", "exporter.jar");
        String clientCopy = CLIENT.finalStage().all("COPY").stream().map(Dockerfile.Instruction::args)
                .filter(a -> a.contains("client.jar")).findFirst().orElseThrow();
        assertThat(clientCopy).isEqualTo("--from=build /src/client/target/client.jar /opt/mexc-pipe/client.jar");
    }

    @Test
    void dockerignoreLetsInWhatTheBuildCopiesAndNothingSecret() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).isEqualTo("*");
        List<PathMatcher> included = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("!")) {
                included.add(FileSystems.getDefault().getPathMatcher("glob:" + l.substring(1)));
            }
        }
        List<String> sources = new ArrayList<>();
        for (Dockerfile d : List.of(CLIENT, EXPORTER)) {
            for (Dockerfile.Stage s : d.stages) {
                for (Dockerfile.Instruction i : s.all("COPY")) {
                    if (i.args().startsWith("--from")) {
                        continue;
                    }
                    List<String> t = Dockerfile.tokens(i.args());
                    sources.addAll(t.subList(0, t.size() - 1));
                }
            }
        }
        for (String src : sources) {
            Path p = Path.of(src);
            assertThat(included.stream().anyMatch(m -> m.matches(p))).as(".dockerignore lets in " + src).isTrue();
            assertThat(Files.exists(ROOT.resolve(src))).as(src + " exists").isTrue();
        }
        for (String secret : List.of(".env", "verif.jar", "exports", ".git")) {
            assertThat(included.stream().anyMatch(m -> m.matches(Path.of(secret)))).as(secret + " stays out").isFalse();
        }
    }

    @Test
    void scriptsAreExecutable() throws Exception {
        assertThat(Files.isExecutable(ROOT.resolve("setup"))).isTrue();
        try (Stream<Path> s = Files.list(ROOT.resolve("docker"))) {
            s.filter(p -> p.toString().endsWith(".sh")).forEach(p ->
                    assertThat(Files.isExecutable(p)).as(p + " executable").isTrue());
        }
    }

    @Test
    void clickhouseXmlTurnsSystemLogsOffAndHoldsNoSecrets() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(ROOT.resolve("clickhouse.xml").toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("clickhouse");
        for (String log : List.of("query_log", "query_thread_log", "part_log", "trace_log", "metric_log",
                "asynchronous_metric_log", "text_log", "session_log", "processors_profile_log",
                "opentelemetry_span_log", "query_views_log", "asynchronous_insert_log", "crash_log", "error_log",
                "latency_log", "query_metric_log", "blob_storage_log", "backup_log", "zookeeper_log",
                "transactions_info_log", "filesystem_cache_log", "filesystem_read_prefetches_log", "s3queue_log",
                "background_schedule_pool_log")) {
            NodeList n = root.getElementsByTagName(log);
            assertThat(n.getLength()).as(log).isEqualTo(1);
            assertThat(((Element) n.item(0)).getAttribute("remove")).as(log).isEqualTo("1");
        }
        assertThat(text(root, "max_server_memory_usage_to_ram_ratio")).isNotEmpty();
        Element logger = (Element) root.getElementsByTagName("logger").item(0);
        assertThat(text(logger, "level")).isEqualTo("warning");
        assertThat(text(logger, "size")).isNotEmpty();
        assertThat(root.getElementsByTagName("password").getLength()).isZero();
        assertThat(root.getElementsByTagName("users").getLength()).isZero();
        assertThat(root.getElementsByTagName("listen_host").getLength()).as("the image's listen_host stays").isZero();
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }
}
