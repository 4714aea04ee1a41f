package kr.go.procurement.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of the service JARs that the services actually run, and their class-data sharing archives.
 *
 * <p>A JVM reads classes from its JAR lazily, so rebuilding {@code <module>/target/<module>.jar} under a running
 * service breaks it half-way (NoClassDefFoundError). Each start therefore runs a copy named by its content,
 * {@code <dir>/<module>-<first 16 hex digits of the SHA-256>.jar}, which is never written again: starting the same
 * build twice reuses the copy, a rebuild gets a new one. The last {@value #KEEP} copies of each module (by last start)
 * are kept, older ones deleted unless a running process still names them on its command line.
 *
 * <p>Class-data sharing (JDK 13+ dynamic archives): next to a copy, {@code <copy>.<jvm>.jsa}, where {@code <jvm>}
 * is a hash of the JDK and the services' JVM options (an archive only fits the JVM that wrote it). Without one, a start
 * records it: {@code -XX:ArchiveClassesAtExit=<tmp>}, which the JVM writes when it exits normally (the stack's SIGTERM
 * included); {@link #finishDump} moves it into place atomically only once that process has ended, had been ready,
 * was not killed, and the file's header (written last by the JVM) is there. With one, the start maps it
 * ({@code -XX:SharedArchiveFile=... -Xshare:auto}: an archive the JVM rejects only costs the speed-up). One process at
 * a time records a given archive.
 */
final class JarCache {

    /** Copies kept per module (besides those still running). */
    static final int KEEP = 3;
    /** 20 × 0.5 s: how long a JAR being written by a build is waited for. */
    private static final int COPY_ATTEMPTS = 20;

    /** The first four bytes of a JDK dynamic archive: 0xf00baba8, little-endian (its header is written last). */
    private static final byte[] DYNAMIC_ARCHIVE_MAGIC = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0};

    private static final Logger log = LoggerFactory.getLogger(JarCache.class);
    private static final Pattern TMP = Pattern.compile("\\.(\\d+)-\\d+\\.tmp$");
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong TMP_COUNTER = new AtomicLong();

    private final Path dir;
    private final boolean cds;
    /** Identifies the JVM and options the archives are written for. */
    private final String jvmKey;
    /** Hashing and copying, a thread per JAR (6 JARs of 40 MB: ~0.3 s of CPU), off the caller's thread. */
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jar-cache");
        t.setDaemon(true);
        return t;
    });
    /** The copy of each source JAR, by its (size, mtime, inode): a start of an unchanged JAR does not hash again. */
    private final Map<Path, Pending> copies = new HashMap<>();
    /** Archives being recorded by a process of this launcher. */
    private final Set<Path> recording = new HashSet<>();
    /** Copies run by a process of this launcher, with the number of such processes. */
    private final Map<Path, Integer> running = new HashMap<>();

    private record Pending(Object attributes, CompletableFuture<Path> copy) {
    }

    /** How a service is to be started: the JAR to run, and the JVM options for class-data sharing. */
    record Launch(Path jar, List<String> cdsOptions, Path archive, Path recordingTo, String cds) {
    }

    JarCache(Path dir, boolean cds, List<String> javaOpts) {
        this.dir = dir.toAbsolutePath().normalize();
        this.cds = cds && !mentionsCds(javaOpts);
        this.jvmKey = sha256Hex((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version")
                + "\n" + String.join("\n", javaOpts)).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    /** {@code ${XDG_CACHE_HOME:-$HOME/.cache}/procurement-local-stack/jars}. */
    static Path defaultDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.get("HOME");
            base = Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".cache");
        }
        return base.resolve("procurement-local-stack").resolve("jars");
    }

    /** SERVICE_JAVA_OPTS that choose their own class-data sharing turn ours off. */
    static boolean mentionsCds(List<String> javaOpts) {
        return javaOpts.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile")
                || o.contains("ArchiveClassesAtExit") || o.contains("DumpLoadedClassList"));
    }

    Path directory() {
        return dir;
    }

    boolean cds() {
        return cds;
    }

    /** Starts copying {@code source} in the background, so that a later {@link #copy} finds it done. */
    void prepare(String module, Path source) {
        copyAsync(module, source);
    }

    /** The content-addressed copy of the JAR as it is now (hashed and copied only when it changed). */
    Path copy(String module, Path source) throws IOException {
        try {
            return copyAsync(module, source).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private synchronized CompletableFuture<Path> copyAsync(String module, Path source) {
        Object attributes;
        try {
            attributes = attributesOf(source);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Pending pending = copies.get(source);
        if (pending != null && pending.attributes.equals(attributes)) {
            CompletableFuture<Path> f = pending.copy;
            if (!f.isDone()) {
                return f;
            }
            // a failure is tried again; a copy is reused while it exists (another launcher may have pruned it)
            if (!f.isCompletedExceptionally() && Files.isRegularFile(f.join())) {
                return f;
            }
        }
        CompletableFuture<Path> f = CompletableFuture.supplyAsync(() -> {
            try {
                return makeCopy(module, source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, workers);
        copies.put(source, new Pending(attributes, f));
        return f;
    }

    private static Object attributesOf(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
    }

    /** Tries again while the source changes under the copy (a build writing it): a torn copy would not start. */
    private Path makeCopy(String module, Path source) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Object before = attributesOf(source);
            Path copy = copyOnce(module, source);
            if (before.equals(attributesOf(source)) || attempt == COPY_ATTEMPTS) {
                return copy;
            }
            log.info("{} changed while it was being copied (is a build writing it?); copying it again", source);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private Path copyOnce(String module, Path source) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        String hash = hashOf(source);
        Path target = dir.resolve(module + "-" + hash + ".jar");
        boolean copied = false;
        if (!Files.isRegularFile(target)) {
            Path tmp = tmpFor(dir.resolve(module + ".jar"));
            try {
                MessageDigest digest = sha256();
                try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        digest.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                // what was copied decides the name, should the source have changed since it was hashed
                target = dir.resolve(module + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jar");
                tmp.toFile().setReadOnly();
                publish(tmp, target);
                copied = true;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        log.debug("{}: {} {} in {} ms", module, copied ? "copied to" : "reusing", target,
                (System.nanoTime() - t0) / 1_000_000);
        return target;
    }

    /** Without replacing: a copy (or archive) some JVM may already map must keep its inode and mtime. */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            // another launcher made the same copy meanwhile
        } catch (UnsupportedOperationException | IOException e) {
            if (!Files.exists(target)) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    static String hashOf(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    /**
     * The JAR and CDS options of a new process: the copy of {@code source}, its archive if there is one, else the
     * recording of one unless another process of this launcher records it already. {@link #ended} must follow.
     */
    Launch launch(String module, Path source) throws IOException {
        Path jar = copy(module, source);
        synchronized (this) {
            running.merge(jar, 1, Integer::sum);
        }
        try {
            touch(usedMarker(jar));
        } catch (IOException e) {
            log.debug("could not mark {} as used: {}", jar, e.toString());
        }
        if (!cds) {
            return new Launch(jar, List.of(), null, null, "off");
        }
        Path archive = archiveOf(jar);
        // the JVM's own notes while it writes or maps an archive ("Skipping ...: Unsupported location") are noise here
        String quiet = "-Xlog:cds*=error,class+path=error";
        if (Files.isRegularFile(archive)) {
            return new Launch(jar, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", quiet), archive, null,
                    "on");
        }
        synchronized (this) {
            if (!recording.add(archive)) {
                return new Launch(jar, List.of(), archive, null, "off (another instance records the archive)");
            }
        }
        Path tmp = tmpFor(archive);
        return new Launch(jar, List.of("-XX:ArchiveClassesAtExit=" + tmp, quiet), archive, tmp, "recording");
    }

    /**
     * The process of {@code launch} has ended: publishes the archive it recorded if it is sound (the process had been
     * ready, ended by itself or by SIGTERM/SIGINT rather than a kill or crash, and the JVM finished the file), else
     * deletes it; then prunes old copies. Safe to call more than once.
     */
    void ended(Launch launch, int exitCode, boolean wasReady) {
        synchronized (this) {
            running.computeIfPresent(launch.jar(), (k, n) -> n <= 1 ? null : n - 1);
        }
        if (launch.recordingTo() != null) {
            try {
                finishDump(launch.recordingTo(), launch.archive(), exitCode, wasReady);
            } finally {
                synchronized (this) {
                    recording.remove(launch.archive());
                }
            }
        }
    }

    static boolean finishDump(Path tmp, Path archive, int exitCode, boolean wasReady) {
        boolean graceful = exitCode < 128 || exitCode == 128 + 2 || exitCode == 128 + 15;
        try {
            if (!Files.isRegularFile(tmp)) {
                return false;
            }
            if (wasReady && graceful && complete(tmp)) {
                try {
                    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING);
                }
                log.info("class-data archive written: {} ({} MB)", archive.getFileName(), Files.size(archive) >> 20);
                return true;
            }
            log.info("discarding the class-data archive of a run that {}: {}", wasReady ? "ended with code " + exitCode
                    : "never became ready", tmp.getFileName());
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            log.warn("could not keep the class-data archive {}: {}", archive, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // pruned later
            }
        }
        return false;
    }

    /** The JVM writes the header, with its magic number, after all the regions: no magic, not complete. */
    static boolean complete(Path archive) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(archive)) {
            if (in.readNBytes(head, 0, 4) != 4) {
                return false;
            }
        }
        return java.util.Arrays.equals(head, DYNAMIC_ARCHIVE_MAGIC) && Files.size(archive) > 4096;
    }

    /** {@code <copy>.<jvm>.jsa} */
    Path archiveOf(Path copy) {
        return copy.resolveSibling(copy.getFileName() + "." + jvmKey + ".jsa");
    }

    /** {@link #prune} in the background. */
    void pruneLater(String module) {
        workers.execute(() -> prune(module));
    }

    /** Deletes all but the {@value #KEEP} most recently started copies of the module, and abandoned temp files. */
    void prune(String module) {
        try (Stream<Path> files = Files.list(dir)) {
            Pattern copyName = Pattern.compile(Pattern.quote(module) + "-[0-9a-f]{16}\\.jar");
            List<Path> all = files.toList();
            List<Path> copiesOfModule = new ArrayList<>(all.stream()
                    .filter(p -> copyName.matcher(p.getFileName().toString()).matches()).toList());
            copiesOfModule.sort(Comparator.comparing(this::lastUsed).reversed());
            Set<Path> keep = new HashSet<>(copiesOfModule.subList(0, Math.min(KEEP, copiesOfModule.size())));
            synchronized (this) {
                keep.addAll(running.keySet());
            }
            List<Path> old = copiesOfModule.stream().filter(p -> !keep.contains(p)).toList();
            Set<Path> stillRunElsewhere = old.isEmpty() ? Set.of() : namedByRunningProcesses(old);
            for (Path copy : old) {
                if (stillRunElsewhere.contains(copy)) {
                    continue;
                }
                String prefix = copy.getFileName().toString();
                for (Path p : all) {
                    String n = p.getFileName().toString();
                    if (n.equals(prefix) || n.startsWith(prefix + ".")) {
                        Files.deleteIfExists(p);
                    }
                }
                log.debug("deleted the old copy {}", copy);
            }
            for (Path p : all) {
                Matcher m = TMP.matcher(p.getFileName().toString());
                if (m.find() && Long.parseLong(m.group(1)) != PID
                        && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false) == false) {
                    Files.deleteIfExists(p); // left by a launcher that was killed
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not prune {}: {}", dir, e.toString());
        }
    }

    private FileTime lastUsed(Path copy) {
        try {
            Path used = usedMarker(copy);
            return Files.getLastModifiedTime(Files.exists(used) ? used : copy);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Copies another local stack (the system tests', a bench run) may be running right now. */
    private static Set<Path> namedByRunningProcesses(List<Path> candidates) {
        Set<Path> named = new HashSet<>();
        ProcessHandle.allProcesses().forEach(p -> p.info().arguments().ifPresent(args -> {
            for (String a : args) {
                for (Path c : candidates) {
                    if (a.contains(c.toString())) {
                        named.add(c);
                    }
                }
            }
        }));
        return named;
    }

    /** {@code <copy>.used}: its modification time is the copy's last start (the copy's own must stay unchanged). */
    private static Path usedMarker(Path copy) {
        return copy.resolveSibling(copy.getFileName() + ".used");
    }

    private static void touch(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    }

    /** {@code <file>.<launcher pid>-<n>.tmp}: unique per process, and pruned once that launcher is gone. */
    private static Path tmpFor(Path file) {
        return file.resolveSibling(file.getFileName() + "." + PID + "-" + TMP_COUNTER.incrementAndGet() + ".tmp");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
