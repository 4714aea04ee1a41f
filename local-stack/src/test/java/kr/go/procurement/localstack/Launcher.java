package kr.go.procurement.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LocalStack#main} in a JVM of its own, as {@code java -jar local-stack.jar} would, and collects what it
 * printed and its exit code. Only for runs that end by themselves (a refused option, a taken port).
 */
final class Launcher {

    /** What reaches the launcher from the test's own environment is dropped, so that only the test chooses. */
    private static final List<String> SCRUBBED = List.of("PG_HOST", "PG_PORT", "PG_DATABASE", "PG_USER", "PG_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS", "MONGO_URI", "SERVICE_JAVA_OPTS", "LOCAL_STACK_ADMIN_PORT",
            "LOCAL_STACK_PORT_OFFSET", "LOCAL_STACK_READY_TIMEOUT_S", "LOCAL_STACK_CDS", "LOCAL_STACK_START_CONCURRENCY",
            "LOCAL_STACK_CACHE");

    record Result(int exitCode, String stdout, String stderr) {

        /** Every line the launcher printed, standard output first. */
        List<String> lines() {
            List<String> lines = new ArrayList<>(stdout.lines().toList());
            lines.addAll(stderr.lines().toList());
            return lines;
        }
    }

    private Launcher() {
    }

    static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "launcher", ".out");
        Path err = Files.createTempFile(workDir, "launcher", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        SCRUBBED.forEach(pb.environment()::remove);
        pb.environment().put("LOCAL_STACK_CACHE", workDir.resolve("cache").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the launcher did not end by itself: " + String.join(" ", args)
                    + "\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
