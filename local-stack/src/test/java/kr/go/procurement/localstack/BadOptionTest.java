package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A wrong option or environment value, given to the real launcher process: one line that says what is wrong, the
 * usage, exit code 2, no stack trace, nothing started.
 */
class BadOptionTest {

    @TempDir
    Path work;

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(Map.of(), new String[] {"--port-offset", "abc"},
                        "--port-offset must be a whole number, got 'abc'"),
                Arguments.of(Map.of(), new String[] {"--port-ofset", "1000"}, "unknown option --port-ofset"),
                Arguments.of(Map.of(), new String[] {"--port-offset"}, "--port-offset needs a value"),
                // the next option is not a value: without this, --fresh became the data directory's name
                Arguments.of(Map.of(), new String[] {"--data", "--fresh", "--port-offset", "abc"},
                        "--data needs a value"),
                Arguments.of(Map.of(), new String[] {"--pg-url", "postgresql://db host/x"},
                        "--pg-url must look like postgresql://user:password@host:5432/procurement"),
                Arguments.of(Map.of("LOCAL_STACK_ADMIN_PORT", "x"), new String[0],
                        "LOCAL_STACK_ADMIN_PORT must be a port number (1-65535), got 'x'"),
                Arguments.of(Map.of("PG_HOST", "db.example", "PG_PORT", "five"), new String[0],
                        "PG_PORT must be a port number (1-65535), got 'five'"),
                Arguments.of(Map.of("LOCAL_STACK_READY_TIMEOUT_S", "soon"), new String[0],
                        "LOCAL_STACK_READY_TIMEOUT_S must be a whole number of seconds > 0, got 'soon'"),
                Arguments.of(Map.of("LOCAL_STACK_PORT_OFFSET", "1k"), new String[0],
                        "LOCAL_STACK_PORT_OFFSET must be a whole number, got '1k'"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void oneLineTheUsageAndExitCode2(Map<String, String> env, String[] args, String message) throws Exception {
        Launcher.Result r = Launcher.run(work, env, args);

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines().toList()).first().isEqualTo(message);
        assertThat(r.stderr()).contains(Options.USAGE).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(work.resolve(".data")).doesNotExist();
    }
}
