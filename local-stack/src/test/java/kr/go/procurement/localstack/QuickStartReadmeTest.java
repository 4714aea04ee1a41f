package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The top README's Quick start says what its two commands need on a newcomer's machine, and stays true to the code:
 * the JDK the build compiles for, every port the local stack listens on, the optional browser tests.
 */
class QuickStartReadmeTest {

    /** Maven runs the tests in the module's directory. */
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void namesTheCommandsAndTheJdkTheBuildCompilesFor() throws IOException {
        String quickStart = quickStart();
        assertThat(quickStart).contains("`./mvnw -B verify`",
                "`./mvnw -B -q -DskipTests package && java -Xmx1g -jar local-stack/target/local-stack.jar`");
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>")
                .matcher(Files.readString(REPO.resolve("pom.xml"), StandardCharsets.UTF_8));
        assertThat(release.find()).isTrue();
        assertThat(quickStart).contains("JDK " + release.group(1));
    }

    @Test
    void namesEveryPortOfTheLocalStackAndTheFlagThatMovesThem() throws IOException {
        List<Integer> ports = new ArrayList<>(List.of(Infrastructure.PG_PORT, Infrastructure.KAFKA_PORT,
                Infrastructure.KAFKA_CONTROLLER_PORT, Infrastructure.MONGO_PORT, Options.ADMIN_PORT));
        ServiceSpec.ALL.forEach(s -> ports.add(s.port()));
        String quickStart = quickStart();
        assertThat(ports).allSatisfy(port -> assertThat(quickStart).contains(Integer.toString(port)));
        assertThat(quickStart).contains("--port-offset");
    }

    @Test
    void namesTheOptionalBrowserTestsAndThePlatforms() throws IOException {
        String browserTest = Files.readString(REPO.resolve(
                "gateway-svc/src/test/java/kr/go/procurement/gateway/console/ConsoleBrowserTest.java"));
        long browserTests = Pattern.compile("(?m)^\\s*@Test\\s*$").matcher(browserTest).results().count();
        String quickStart = quickStart();
        // Each browser test checks for Chromium itself, so Surefire counts them as skipped
        assertThat(quickStart).contains("Chromium", "optional", browserTests + " web-console browser tests",
                "ConsoleBrowserTest", "Skipped: " + browserTests, "Docker")
                .contains("macOS", "arm64", "Windows", "WSL");
    }

    private static String quickStart() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Quick start\n");
        assertThat(start).as("README.md has a Quick start section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
