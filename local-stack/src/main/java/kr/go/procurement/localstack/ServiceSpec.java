package kr.go.procurement.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * One service module of the contract: its name (= Maven module = JAR name), HTTP port and the infrastructure it
 * uses. {@link #ALL} is in start order; stopping goes the other way.
 */
record ServiceSpec(String name, int port, boolean usesPostgres, boolean usesKafka, boolean usesMongo) {

    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("management-svc", 8081, true, true, false),
            new ServiceSpec("request-svc", 8082, true, true, false),
            new ServiceSpec("delivery-svc", 8083, true, true, false),
            new ServiceSpec("notification-svc", 8085, false, true, true),
            new ServiceSpec("status-view", 8084, false, true, true),
            new ServiceSpec("gateway-svc", 8088, false, false, false));

    /** Width of the longest name, for the "[name            ] line" prefixes. */
    static final int NAME_WIDTH = 16;

    static ServiceSpec byName(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }

    /** {@code <root>/<module>/target/<module>.jar} */
    Path jar(Path root) {
        return root.resolve(name).resolve("target").resolve(name + ".jar");
    }

    String url() {
        return "http://localhost:" + port;
    }

    static String padded(String name) {
        StringBuilder sb = new StringBuilder(name);
        while (sb.length() < NAME_WIDTH) {
            sb.append(' ');
        }
        return sb.toString();
    }
}
