package kr.go.procurement.localstack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The verbs {@code status}, {@code stop}, {@code start}, {@code restart}, {@code kill} of the local-stack JAR:
 * each is one call to the admin endpoint of the local stack that runs on this machine.
 */
final class AdminCli {

    private AdminCli() {
    }

    /** @return the process exit code */
    static int run(Options options) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + options.adminPort + "/services";
        HttpRequest request;
        if (options.command == Options.Command.STATUS) {
            request = HttpRequest.newBuilder(URI.create(base + "?format=text")).timeout(Duration.ofSeconds(30)).GET().build();
        } else {
            String name;
            try {
                name = Options.canonicalName(options.target);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            String action = options.command.name().toLowerCase(Locale.ROOT);
            request = HttpRequest.newBuilder(URI.create(base + "/" + name + "/" + action))
                    .header(AdminServer.HEADER, "1")
                    // start waits for readiness; stop may take the 12 s grace period
                    .timeout(Duration.ofSeconds(options.readyTimeoutSeconds + 30))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = response.body();
            if (response.statusCode() / 100 == 2) {
                System.out.print(body.endsWith("\n") ? body : body + "\n");
                return 0;
            }
            System.err.println("HTTP " + response.statusCode() + ": " + body);
            return 1;
        } catch (ConnectException e) {
            System.err.println("no local stack answers on 127.0.0.1:" + options.adminPort
                    + " (start one with: java -jar local-stack/target/local-stack.jar)");
            return 1;
        } catch (IOException e) {
            System.err.println("admin call failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
