package kr.go.procurement.localstack;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's standard output, shared by the services' prefixed lines and the launcher's own messages.
 *
 * <p>A service's line is passed through as bytes (only the prefix is added), so its text, Korean included, reaches
 * the terminal exactly as the service wrote it, whatever the launcher's default charset. One line at a time, so
 * lines of different services never mix.
 */
final class Console {

    private static final OutputStream OUT = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 16 * 1024);

    private Console() {
    }

    /** {@code [name            ] <line>} */
    static void serviceLine(String name, byte[] line, int length) {
        byte[] prefix = ("[" + ServiceSpec.padded(name) + "] ").getBytes(StandardCharsets.UTF_8);
        synchronized (OUT) {
            try {
                System.out.flush();
                OUT.write(prefix);
                OUT.write(line, 0, length);
                OUT.write('\n');
                OUT.flush();
            } catch (IOException ignored) {
                // the terminal is gone; the services keep running and keep their output to themselves
            }
        }
    }

    /** A line of the launcher's own, bypassing the logger (READY and the service list). */
    static void println(String text) {
        synchronized (OUT) {
            try {
                System.out.flush();
                OUT.write(text.getBytes(StandardCharsets.UTF_8));
                OUT.write('\n');
                OUT.flush();
            } catch (IOException ignored) {
                // the terminal is gone
            }
        }
    }
}
