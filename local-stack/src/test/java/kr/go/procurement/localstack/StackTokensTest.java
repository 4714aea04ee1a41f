package kr.go.procurement.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackTokensTest {

    @TempDir
    Path data;

    @Test
    void aDataDirectoryGetsItsOwnPrivateSecretOnce() throws Exception {
        String first = StackTokens.secret(data);
        assertThat(first.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(StackTokens.secret(data)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("jwt-secret"))))
                .isEqualTo("rw-------");
        Path other = Files.createDirectory(data.resolve("other"));
        assertThat(StackTokens.secret(other)).isNotEqualTo(first);
    }

    @Test
    void aTruncatedSecretIsRefusedRatherThanUsed() throws Exception {
        Files.writeString(data.resolve("jwt-secret"), "short\n");
        assertThatThrownBy(() -> StackTokens.secret(data)).hasMessageContaining("shorter than 32 bytes");
    }

    @Test
    void tokensAreSignedWithTheSecretAndCarryTheGatewaysClaims() throws Exception {
        String secret = StackTokens.secret(data);
        Instant now = Instant.ofEpochSecond(1_750_000_000L);
        String token = StackTokens.mint(secret, StackTokens.PERSONAS.get(2), now);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertThat(parts[2]).isEqualTo(expected);

        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        assertThat(decode(parts[1])).isEqualTo("{\"sub\":\"supplier-c01\",\"iss\":\"procurement-local\","
                + "\"aud\":\"procurement\",\"iat\":1750000000,\"exp\":" + (1_750_000_000L + 30 * 86_400)
                + ",\"roles\":[\"supplier\"],\"companyNo\":\"c01\"}");
    }

    @Test
    void theEnvFileCanBeSourcedByAShell() throws Exception {
        Map<String, String> tokens = StackTokens.mintAll(StackTokens.secret(data), Instant.now());
        assertThat(tokens.keySet()).containsExactly("AGENCY_TOKEN", "PPS_TOKEN", "SUPPLIER_C01_TOKEN",
                "SUPPLIER_C02_TOKEN", "VIEWER_TOKEN", "ADMIN_TOKEN");
        Path file = StackTokens.writeEnvFile(data, tokens);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Process shell = new ProcessBuilder("sh", "-c", ". '" + file + "' && printf '%s' \"$SUPPLIER_C02_TOKEN\"")
                .redirectErrorStream(true).start();
        String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor()).isZero();
        assertThat(printed).isEqualTo(tokens.get("SUPPLIER_C02_TOKEN"));

        // Written again at the next start: replaced, not appended to.
        StackTokens.writeEnvFile(data, tokens);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.stream().filter(l -> l.startsWith("AGENCY_TOKEN=")).count()).isEqualTo(1);
    }

    @Test
    void theGatewayGetsTheSecretAndTheLocalProfile() {
        assertThat(LocalStack.gatewayEnvironment("s3cr3t")).containsEntry("JWT_HS256_SECRET", "s3cr3t")
                .containsEntry("JWT_ISSUER", "procurement-local").containsEntry("JWT_AUDIENCE", "procurement")
                .containsEntry("GATEWAY_LOCAL_TOKENS", "true");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
