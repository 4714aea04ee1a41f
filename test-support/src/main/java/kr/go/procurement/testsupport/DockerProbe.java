package kr.go.procurement.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides between containers and embedded servers: {@code PROCUREMENT_TEST_INFRA=embedded|containers} (environment
 * variable or system property) if set, else containers when a Docker engine answers.
 *
 * <p>Asking Testcontainers costs seconds and logs a page of errors when there is no engine, so it is asked only if
 * there is a sign of one: {@code DOCKER_HOST}, a Testcontainers configuration, or a Docker socket file.
 */
final class DockerProbe {

    static final String SWITCH = "PROCUREMENT_TEST_INFRA";

    private static final Logger log = LoggerFactory.getLogger(DockerProbe.class);

    private DockerProbe() {
    }

    /** true: containers; false: embedded servers. */
    static boolean useContainers() {
        String forced = System.getProperty(SWITCH, System.getenv(SWITCH));
        if (forced != null && !forced.isBlank()) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "containers", "docker", "testcontainers" -> {
                    return true;
                }
                case "embedded" -> {
                    return false;
                }
                default -> throw new IllegalArgumentException(SWITCH + " must be embedded or containers, not " + forced);
            }
        }
        if (!dockerHinted()) {
            log.info("no Docker engine in sight (no DOCKER_HOST, no socket): using the embedded servers");
            return false;
        }
        try {
            boolean available = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            log.info(available ? "a Docker engine answers: using containers"
                    : "no Docker engine answers: using the embedded servers");
            return available;
        } catch (Throwable e) {
            log.info("Docker check failed ({}): using the embedded servers", e.toString());
            return false;
        }
    }

    private static boolean dockerHinted() {
        if (notBlank(System.getenv("DOCKER_HOST")) || notBlank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE"))
                || notBlank(System.getenv("TC_HOST"))) {
            return true;
        }
        String home = System.getProperty("user.home");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (notBlank(runtimeDir)) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
            candidates.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
