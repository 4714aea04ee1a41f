package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PostgreSQL binaries for the machines people use ship with local-stack (and so with the local-stack JAR and the
 * tests that embed PostgreSQL): zonky's own resolver, asked as it asks on each platform, finds that platform's
 * native archive, not the x86-64 one it falls back to on an ARM Mac.
 */
class PostgresBinariesTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // os.name as zonky reduces it, os.arch as the JVM reports it ("amd64" reaches zonky as x86_64)
            "Linux,   x86_64,  postgres-linux-x86_64.txz",
            "Linux,   aarch64, postgres-linux-arm_64.txz",
            "Darwin,  x86_64,  postgres-darwin-x86_64.txz",
            "Darwin,  aarch64, postgres-darwin-arm_64.txz",
            "Windows, x86_64,  postgres-windows-x86_64.txz"})
    void nativeBinariesAreOnTheClasspath(String system, String arch, String archive) throws Exception {
        assertThat(PostgresBinariesTest.class.getClassLoader().getResource(archive)).as(archive).isNotNull();
        try (InputStream binaries = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, arch)) {
            assertThat(binaries).isNotNull();
        }
    }
}
