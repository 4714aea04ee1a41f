import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The latency the gateway adds: the same GET sent alternately straight to the service and through the gateway, at
 * a steady rate below the gateway's rate limit, in the same run; prints p50/p90/p99/max of both and the difference.
 *
 * <pre>
 * source .data/tokens.env
 * java gateway-svc/bench/GatewayLatency.java [rate-per-second] [seconds]
 * </pre>
 *
 * Environment: TOKEN (default $VIEWER_TOKEN), DIRECT_URL (default http://localhost:8082/deliveryrequests/1),
 * GATEWAY_URL (default http://localhost:8088/deliveryrequests/1). The figures are printed, never checked: they
 * depend on the machine.
 */
public class GatewayLatency {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String token = env("TOKEN", System.getenv("VIEWER_TOKEN"));
    if (token == null) {
      System.err.println("Set TOKEN or VIEWER_TOKEN (source .data/tokens.env)");
      System.exit(2);
    }
    URI direct = URI.create(env("DIRECT_URL", "http://localhost:8082/deliveryrequests/1"));
    URI gateway = URI.create(env("GATEWAY_URL", "http://localhost:8088/deliveryrequests/1"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest toService = HttpRequest.newBuilder(direct).GET().build();
    HttpRequest viaGateway = HttpRequest.newBuilder(gateway).header("Authorization", "Bearer " + token).GET().build();

    // Warm-up: JIT, connection pools, caches on both paths.
    check(client, toService);
    check(client, viaGateway);
    run(client, toService, viaGateway, rate, 5);

    long[][] samples = run(client, toService, viaGateway, rate, seconds);
    System.out.printf(Locale.ROOT, "%d GETs each, %d/s alternating, %s vs %s%n", samples[0].length, rate,
        direct, gateway);
    System.out.printf(Locale.ROOT, "%-10s %8s %8s %8s %8s   (ms)%n", "", "p50", "p90", "p99", "max");
    print("direct", samples[0]);
    print("gateway", samples[1]);
    System.out.printf(Locale.ROOT, "%-10s %8.2f %8.2f %8.2f%n", "added",
        pct(samples[1], 50) - pct(samples[0], 50), pct(samples[1], 90) - pct(samples[0], 90),
        pct(samples[1], 99) - pct(samples[0], 99));
  }

  /** Alternates the two requests at {@code rate} pairs... per second in total; returns nanoseconds per request. */
  static long[][] run(HttpClient client, HttpRequest a, HttpRequest b, int rate, int seconds) throws Exception {
    int n = rate * seconds / 2;
    long[] da = new long[n];
    long[] db = new long[n];
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      next = pace(next, interval);
      da[i] = timed(client, a);
      next = pace(next, interval);
      db[i] = timed(client, b);
    }
    return new long[][] {da, db};
  }

  static long pace(long next, long interval) throws InterruptedException {
    long wait = next - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
    return Math.max(next + interval, System.nanoTime());
  }

  static long timed(HttpClient client, HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long took = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
          + new String(response.body()));
    }
    return took;
  }

  static void check(HttpClient client, HttpRequest request) throws Exception {
    timed(client, request);
  }

  static void print(String name, long[] nanos) {
    System.out.printf(Locale.ROOT, "%-10s %8.2f %8.2f %8.2f %8.2f%n", name, pct(nanos, 50), pct(nanos, 90),
        pct(nanos, 99), pct(nanos, 100));
  }

  /** Nearest-rank percentile in milliseconds. */
  static double pct(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
