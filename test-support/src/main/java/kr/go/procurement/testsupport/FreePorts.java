package kr.go.procurement.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for the embedded servers.
 *
 * <p>Picked below the kernel's ephemeral range on purpose: a test stops Kafka or PostgreSQL and starts it again on
 * the same port, and in between an outgoing connection of this JVM could be given that very port as its local port
 * if it lay in the ephemeral range (which is where {@code new ServerSocket(0)} picks from), making the restart fail.
 */
final class FreePorts {

    private static final Set<Integer> handedOut = new HashSet<>();

    private FreePorts() {
    }

    static synchronized int next() {
        int lowEphemeral = ephemeralRangeStart();
        int from = Math.max(10_000, Math.min(20_000, lowEphemeral - 5_000));
        int to = Math.max(from + 1_000, lowEphemeral);
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, to);
            if (!handedOut.contains(port) && isFree(port)) {
                handedOut.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port found between " + from + " and " + to);
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux default
        }
    }
}
