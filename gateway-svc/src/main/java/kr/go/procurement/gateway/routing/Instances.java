package kr.go.procurement.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.Address;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of each service and which of them should get requests, for Vert.x's client-side load balancing:
 * {@link #resolver()} maps a {@link ServiceAddress} to the ready instances, and the HTTP client's load balancer
 * spreads requests over them.
 *
 * <p>For a service with several instances the gateway asks each one's {@code GET /health/ready} every
 * {@code interval} (and at once when a connection was refused): an instance that refuses connections, fails or
 * answers 503 (starting, or draining before it stops) is left out until it is ready again. When none is ready, all
 * are offered, so that callers get the service's own refusal (503) rather than no answer. A service with one
 * instance (one Kubernetes Service address) is never probed: its address is used as it is.
 */
final class Instances {

  /** The service as a whole, resolved to its ready instances. */
  record ServiceAddress(Service service) implements Address {
  }

  private static final Logger log = LoggerFactory.getLogger(Instances.class);

  private final Vertx vertx;
  private final Map<Service, List<SocketAddress>> all = new EnumMap<>(Service.class);
  private final Set<SocketAddress> down = ConcurrentHashMap.newKeySet();
  private final HttpClient probes;
  private final long probeTimeoutMs;
  private final long timer;

  Instances(Vertx vertx, Map<Service, Upstream> upstreams, Duration interval) {
    this.vertx = vertx;
    upstreams.forEach((service, upstream) -> all.put(service, upstream.instances().stream()
        .map(i -> SocketAddress.inetSocketAddress(i.port(), i.host())).toList()));
    this.probeTimeoutMs = Math.max(100, Math.min(1000, interval.toMillis()));
    this.probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setName("gateway-probes")
        .setConnectTimeout((int) probeTimeoutMs));
    this.timer = anyBalanced() ? vertx.setPeriodic(interval.toMillis(), id -> probeAll()) : -1;
  }

  /** Whether {@code service} has more than one instance, so that requests go through the load balancer. */
  boolean balanced(Service service) {
    return all.get(service).size() > 1;
  }

  boolean anyBalanced() {
    return all.values().stream().anyMatch(list -> list.size() > 1);
  }

  /** The address of one instance ({@code service} unbalanced) or of the service as a whole. */
  Address addressOf(Service service) {
    return balanced(service) ? new ServiceAddress(service) : all.get(service).get(0);
  }

  /** Resolves a {@link ServiceAddress} to the ready instances, and any other address to itself. */
  AddressResolver<Address> resolver() {
    return AddressResolver.mappingResolver(address -> address instanceof ServiceAddress s
        ? ready(s.service()) : List.of((SocketAddress) address));
  }

  /** The ready instances, in configured order; all of them when none is. */
  List<SocketAddress> ready(Service service) {
    List<SocketAddress> instances = all.get(service);
    List<SocketAddress> ready = new ArrayList<>(instances.size());
    for (SocketAddress instance : instances) {
      if (!down.contains(instance)) {
        ready.add(instance);
      }
    }
    return ready.isEmpty() ? instances : ready;
  }

  /**
   * The instance to retry on after {@code failed} (the remote address of the connection that failed, null when
   * unknown): the next ready one after it, else the same.
   */
  SocketAddress retryTarget(Service service, SocketAddress failed) {
    List<SocketAddress> ready = ready(service);
    if (failed != null) {
      for (int i = 0; i < ready.size(); i++) {
        if (ready.get(i).port() == failed.port()) {
          return ready.get((i + 1) % ready.size());
        }
      }
    }
    return ready.get(0);
  }

  /** A connection to one of {@code service}'s instances was refused: look at all of them now. */
  void suspect(Service service) {
    if (balanced(service)) {
      all.get(service).forEach(this::probe);
    }
  }

  private void probeAll() {
    all.forEach((service, instances) -> {
      if (instances.size() > 1) {
        instances.forEach(this::probe);
      }
    });
  }

  private void probe(SocketAddress instance) {
    probes.request(new RequestOptions().setServer(instance).setHost(instance.host()).setPort(instance.port())
            .setMethod(HttpMethod.GET).setURI("/health/ready").setConnectTimeout(probeTimeoutMs)
            .setIdleTimeout(probeTimeoutMs))
        .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode())))
        .recover(e -> Future.succeededFuture(-1))
        .onSuccess(status -> {
          boolean ready = status == 200;
          boolean changed = ready ? down.remove(instance) : down.add(instance);
          if (changed) {
            log.atInfo().addKeyValue("instance", instance.host() + ":" + instance.port())
                .addKeyValue("ready", ready).log(ready ? "Upstream instance ready again" : "Upstream instance left out");
          }
        });
  }

  Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return probes.close();
  }
}
