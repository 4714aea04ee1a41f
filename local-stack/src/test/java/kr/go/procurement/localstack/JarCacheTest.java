package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services run copies of their JARs ({@link JarCache}), so that a rebuild does not break them, and start from the
 * class-data archive their first graceful stop recorded; a broken archive costs only the speed-up.
 */
class JarCacheTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String MODULE = "delivery-svc";
    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path root;
    @TempDir
    Path cacheDir;

    private ServiceSupervisor supervisor;
    private int port;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stopAll();
        }
    }

    private ManagedService startService(JarCache cache) {
        int offset = freeOffset();
        port = 8083 + offset;
        supervisor = new ServiceSupervisor(root, Set.of(MODULE), List.of("-Xmx32m"), Map.of(), Map.of(), offset, cache);
        supervisor.startAll(0, READY);
        return supervisor.find(MODULE);
    }

    @Test
    void runsACopyThatARebuildDoesNotBreakAndARestartTakesTheNewBuild() throws Exception {
        Path source = FakeJars.write(root, MODULE, "build 1");
        JarCache cache = new JarCache(cacheDir, false, List.of("-Xmx32m"));
        ManagedService service = startService(cache);

        Path copy = service.runningJar();
        assertThat(copy.getParent()).isEqualTo(cacheDir.toAbsolutePath());
        assertThat(copy.getFileName().toString()).matches(MODULE + "-[0-9a-f]{16}\\.jar");
        assertThat(copy.getFileName().toString()).contains(JarCache.hashOf(source));
        List<String> args = arguments(service);
        assertThat(args).contains(copy.toString()).doesNotContain(source.toString());

        // a rebuild, and then a broken one: the running JVM loads its remaining classes from its copy
        FakeJars.write(root, MODULE, "build 2");
        Files.write(source, new byte[] {'P', 'K', 0, 0});
        assertThat(get("/lazy").body()).isEqualTo("lazy");
        assertThat(supervisor.describe().stream().filter(r -> r.get("name").equals(MODULE)).findFirst().orElseThrow())
                .containsEntry("jar", copy.toString()).containsEntry("cds", "off");

        // a restart takes the JAR as it is then
        Path build3 = FakeJars.write(root, MODULE, "build 3");
        restart(service);
        assertThat(service.runningJar()).isNotEqualTo(copy)
                .isEqualTo(cacheDir.toAbsolutePath().resolve(MODULE + "-" + JarCache.hashOf(build3) + ".jar"));
        assertThat(get("/lazy").body()).isEqualTo("lazy");
        // the same build again: the same copy
        Path third = service.runningJar();
        restart(service);
        assertThat(service.runningJar()).isEqualTo(third);

        // the last three copies of the module are kept
        for (int build = 4; build <= 6; build++) {
            FakeJars.write(root, MODULE, "build " + build);
            restart(service);
        }
        cache.prune(MODULE);
        assertThat(copies()).hasSize(JarCache.KEEP).contains(service.runningJar()).doesNotContain(copy, third);
    }

    @Test
    void theArchiveIsRecordedAtAGracefulStopAndUsedByTheNextStart() throws Exception {
        assumeTrue(hasBaseArchive(), "the JDK has no default CDS archive to build a dynamic one on");
        FakeJars.write(root, MODULE, "build 1");
        JarCache cache = new JarCache(cacheDir, true, List.of("-Xmx32m"));
        ManagedService service = startService(cache);
        Path archive = cache.archiveOf(service.runningJar());
        assertThat(service.cds()).isEqualTo("recording");
        assertThat(arguments(service)).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=" + archive + "."))
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
        assertThat(archive).doesNotExist();

        assertThat(service.stop()).isEqualTo(143); // SIGTERM: the JVM writes the archive on its way out
        assertThat(archive).isRegularFile();
        assertThat(JarCache.complete(archive)).isTrue();
        assertThat(temporaryFiles()).isEmpty();

        assertThat(service.start()).isTrue();
        supervisor.awaitReady(List.of(service), READY);
        assertThat(service.cds()).isEqualTo("on");
        assertThat(arguments(service)).contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
                .noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(get("/lazy").body()).isEqualTo("lazy");
        Path maps = Path.of("/proc", Long.toString(service.pid()), "maps");
        if (Files.isReadable(maps)) {
            assertThat(Files.readString(maps)).as("the JVM mapped the archive").contains(archive.toString());
        }
    }

    @Test
    void aKilledRunLeavesNoArchive() throws Exception {
        assumeTrue(hasBaseArchive(), "the JDK has no default CDS archive to build a dynamic one on");
        FakeJars.write(root, MODULE, "build 1");
        JarCache cache = new JarCache(cacheDir, true, List.of("-Xmx32m"));
        ManagedService service = startService(cache);
        Path archive = cache.archiveOf(service.runningJar());
        assertThat(service.cds()).isEqualTo("recording");
        assertThat(service.kill()).isEqualTo(137);
        assertThat(archive).doesNotExist();
        assertThat(temporaryFiles()).isEmpty();
        // and the next run records it again
        assertThat(service.start()).isTrue();
        supervisor.awaitReady(List.of(service), READY);
        assertThat(service.cds()).isEqualTo("recording");
    }

    @Test
    void aGarbageArchiveOnlyCostsTheSpeedUp() throws Exception {
        Path source = FakeJars.write(root, MODULE, "build 1");
        JarCache cache = new JarCache(cacheDir, true, List.of("-Xmx32m"));
        Path archive = cache.archiveOf(cache.copy(MODULE, source));
        byte[] garbage = new byte[200_000];
        new Random(7).nextBytes(garbage);
        Files.write(archive, garbage);

        ManagedService service = startService(cache);
        assertThat(service.cds()).isEqualTo("on");
        assertThat(arguments(service)).contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        assertThat(get("/lazy").body()).isEqualTo("lazy");
    }

    @Test
    void anIncompleteArchiveIsNeverPublished() throws IOException {
        Path tmp = cacheDir.resolve("x.jar.abc.jsa.1-1.tmp");
        Path archive = cacheDir.resolve("x.jar.abc.jsa");
        // what a JVM killed while dumping leaves: the regions, but not yet the header with its magic number
        Files.write(tmp, new byte[64 * 1024]);
        assertThat(JarCache.finishDump(tmp, archive, 143, true)).isFalse();
        assertThat(archive).doesNotExist();
        assertThat(tmp).doesNotExist();

        byte[] complete = new byte[64 * 1024];
        complete[0] = (byte) 0xa8;
        complete[1] = (byte) 0xab;
        complete[2] = 0x0b;
        complete[3] = (byte) 0xf0;
        Files.write(tmp, complete);
        assertThat(JarCache.finishDump(tmp, archive, 137, true)).as("killed").isFalse();
        Files.write(tmp, complete);
        assertThat(JarCache.finishDump(tmp, archive, 143, false)).as("never ready").isFalse();
        Files.write(tmp, complete);
        assertThat(JarCache.finishDump(tmp, archive, 143, true)).isTrue();
        assertThat(archive).isRegularFile();
        assertThat(tmp).doesNotExist();
    }

    @Test
    void optionsThatChooseTheirOwnSharingTurnItOff() {
        assertThat(new JarCache(cacheDir, true, List.of("-Xmx32m")).cds()).isTrue();
        assertThat(new JarCache(cacheDir, true, List.of("-Xshare:off")).cds()).isFalse();
        assertThat(new JarCache(cacheDir, true, List.of("-XX:SharedArchiveFile=/x.jsa")).cds()).isFalse();
        assertThat(new JarCache(cacheDir, false, List.of()).cds()).isFalse();
        // an archive fits only the JVM options it was written with
        Path copy = cacheDir.resolve("m-0123456789abcdef.jar");
        assertThat(new JarCache(cacheDir, true, List.of("-Xmx32m")).archiveOf(copy))
                .isNotEqualTo(new JarCache(cacheDir, true, List.of("-Xmx64m")).archiveOf(copy))
                .isEqualTo(new JarCache(cacheDir, true, List.of("-Xmx32m")).archiveOf(copy));
    }

    private void restart(ManagedService service) {
        service.stop();
        service.start();
        supervisor.awaitReady(List.of(service), READY);
    }

    private List<Path> copies() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir.toAbsolutePath())) {
            return files.filter(p -> p.getFileName().toString().matches(MODULE + "-[0-9a-f]{16}\\.jar")).toList();
        }
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static List<String> arguments(ManagedService service) {
        return List.of(ProcessHandle.of(service.pid()).orElseThrow().info().arguments().orElseThrow());
    }

    private static boolean hasBaseArchive() {
        return Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa"));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An offset whose delivery-svc port is free. */
    private static int freeOffset() {
        for (int offset = 14_000 + (int) (ProcessHandle.current().pid() % 300) * 20; offset < 24_000; offset += 20) {
            if (Infrastructure.isPortFree(8083 + offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free ports");
    }
}
