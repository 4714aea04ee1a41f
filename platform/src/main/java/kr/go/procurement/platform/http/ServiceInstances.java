package kr.go.procurement.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.Address;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of each service a client calls, and which of them should get requests, for Vert.x's client-side
 * load balancing: {@link #resolver()} maps a service's {@link #addressOf address} to its ready instances, and the
 * HTTP client's load balancer ({@code HttpClientBuilder.withLoadBalancer}) spreads requests over them. Used by the
 * gateway and by request-svc's call to management.
 *
 * <p>For a service with several instances, each one's {@code GET /health/ready} is asked every
 * {@link #PROBE_INTERVAL} (and at once after a refused connection): an instance that answers 200 is ready; one that
 * answers otherwise or not in time (starting, draining before it stops, overloaded) is left out while another is
 * ready; one that refuses connections is left out whenever any other is not known to refuse. So a caller is sent to
 * a dead instance only when every instance is dead, and then gets the refusal (503). A service with one instance
 * (one Kubernetes Service address) is never probed: its address is used as it is.
 */
public final class ServiceInstances {

  /** How often each instance of a service with several is asked whether it is ready. */
  public static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
  /** A probe that has no answer after this long counts as not ready (never as refusing). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /** A service as a whole, resolved to its ready instances. */
  record ServiceAddress(String service) implements Address {
  }

  /** DRAINING: it said it is stopping (readiness reason "draining", or an answer with Connection: close). */
  private enum State { READY, NOT_READY, DRAINING, REFUSED }

  private static final Logger log = LoggerFactory.getLogger(ServiceInstances.class);
  private static final Pattern TRAILING_PORT = Pattern.compile(":(\\d+)$");

  private final Vertx vertx;
  private final Map<String, List<SocketAddress>> all = new LinkedHashMap<>();
  private final Map<SocketAddress, State> states = new ConcurrentHashMap<>();
  private final Set<SocketAddress> probing = ConcurrentHashMap.newKeySet();
  /** Instances that said they are draining and have not been ready since. */
  private final Set<SocketAddress> gracefullyStopping = ConcurrentHashMap.newKeySet();
  private final HttpClient probes;
  private final long timer;

  /** Starts watching {@code services} (name → its instances); {@link #close()} stops. */
  public static ServiceInstances watch(Vertx vertx, Map<String, List<SocketAddress>> services) {
    return new ServiceInstances(vertx, services, PROBE_INTERVAL);
  }

  ServiceInstances(Vertx vertx, Map<String, List<SocketAddress>> services, Duration interval) {
    this.vertx = vertx;
    services.forEach((name, instances) -> {
      if (instances.isEmpty()) {
        throw new IllegalArgumentException(name + " has no instance");
      }
      all.put(name, List.copyOf(instances));
    });
    this.probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setName("instance-probes")
        .setConnectTimeout((int) PROBE_TIMEOUT.toMillis()));
    this.timer = anyBalanced() ? vertx.setPeriodic(interval.toMillis(), id -> probeAll()) : -1;
  }

  /** Whether {@code service} has more than one instance, so that requests go through the load balancer. */
  public boolean balanced(String service) {
    return instancesOf(service).size() > 1;
  }

  public boolean anyBalanced() {
    return all.values().stream().anyMatch(list -> list.size() > 1);
  }

  /** The address to send {@code service}'s requests to: its only instance, or the service as a whole. */
  public Address addressOf(String service) {
    return balanced(service) ? new ServiceAddress(service) : instancesOf(service).get(0);
  }

  /** Resolves a service's address to its ready instances, and any other address to itself. */
  public AddressResolver<Address> resolver() {
    return AddressResolver.mappingResolver(address -> address instanceof ServiceAddress s
        ? ready(s.service()) : List.of((SocketAddress) address));
  }

  /** The ready instances in configured order; else those not known to refuse; else all. */
  public List<SocketAddress> ready(String service) {
    List<SocketAddress> instances = instancesOf(service);
    List<SocketAddress> ready = new ArrayList<>(instances.size());
    List<SocketAddress> reachable = new ArrayList<>(instances.size());
    for (SocketAddress instance : instances) {
      State state = states.getOrDefault(instance, State.READY);
      if (state == State.READY) {
        ready.add(instance);
      }
      if (state != State.REFUSED) {
        reachable.add(instance);
      }
    }
    return !ready.isEmpty() ? ready : !reachable.isEmpty() ? reachable : instances;
  }

  /**
   * The instance to send a retry to after {@code failed} (the remote address of the connection that failed, null
   * when unknown): the next one of {@link #ready} after it, else the first.
   */
  public SocketAddress retryTarget(String service, SocketAddress failed) {
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

  /**
   * A connection to one of {@code service}'s instances was refused ({@code failure}): the instance it names (Netty
   * says which address refused) is left out at once, and all of them are asked again now.
   */
  public void refused(String service, Throwable failure) {
    if (!balanced(service)) {
      return;
    }
    Integer port = refusedPort(failure);
    if (port != null) {
      for (SocketAddress instance : instancesOf(service)) {
        if (instance.port() == port) {
          changeState(instance, State.REFUSED);
        }
      }
    }
    instancesOf(service).forEach(this::probe);
  }

  /**
   * The instance behind {@code remote} (the address of a connection to it) said it is stopping: an answer of its
   * carried {@code Connection: close}. It is left out like an unready one.
   */
  public void draining(String service, SocketAddress remote) {
    SocketAddress instance = instanceAt(service, remote);
    if (instance != null && balanced(service)) {
      changeState(instance, State.DRAINING);
    }
  }

  /**
   * Whether the instance behind {@code remote} said it is stopping gracefully (draining) and has not been ready
   * since: refusing connections afterwards keeps it so. An instance that went from ready to refusing without saying
   * so crashed (kill -9), and a request it dropped may have been done: that is not "stopping".
   */
  public boolean stopping(String service, SocketAddress remote) {
    SocketAddress instance = instanceAt(service, remote);
    return instance != null && gracefullyStopping.contains(instance);
  }

  private SocketAddress instanceAt(String service, SocketAddress remote) {
    if (remote == null) {
      return null;
    }
    for (SocketAddress instance : instancesOf(service)) {
      if (instance.port() == remote.port()) {
        return instance;
      }
    }
    return null;
  }

  private static Integer refusedPort(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException && t.getMessage() != null) {
        Matcher m = TRAILING_PORT.matcher(t.getMessage().trim());
        if (m.find()) {
          return Integer.valueOf(m.group(1));
        }
      }
    }
    return null;
  }

  private List<SocketAddress> instancesOf(String service) {
    List<SocketAddress> instances = all.get(service);
    if (instances == null) {
      throw new IllegalArgumentException("unknown service " + service);
    }
    return instances;
  }

  private void probeAll() {
    all.values().forEach(instances -> {
      if (instances.size() > 1) {
        instances.forEach(this::probe);
      }
    });
  }

  private void probe(SocketAddress instance) {
    if (!probing.add(instance)) {
      return; // the previous probe is still waiting for its answer
    }
    probes.request(new RequestOptions().setServer(instance).setHost(instance.host()).setPort(instance.port())
            .setMethod(HttpMethod.GET).setURI("/health/ready").setConnectTimeout(PROBE_TIMEOUT.toMillis())
            .setIdleTimeout(PROBE_TIMEOUT.toMillis()))
        .compose(request -> request.send().compose(response -> response.body().map(body ->
            response.statusCode() == 200 ? State.READY
                : body.toString().contains("\"draining\"") ? State.DRAINING : State.NOT_READY)))
        .recover(e -> Future.succeededFuture(UpstreamRetry.refused(e) ? State.REFUSED : State.NOT_READY))
        .onComplete(ar -> {
          probing.remove(instance);
          State seen = ar.result();
          // A probe without an answer in time (a busy machine) says nothing new about an instance that said it is
          // stopping: it stays DRAINING until it answers ready or refuses connections.
          if (seen == State.NOT_READY && states.get(instance) == State.DRAINING) {
            return;
          }
          changeState(instance, seen);
        });
  }

  private void changeState(SocketAddress instance, State state) {
    if (state == State.DRAINING) {
      gracefullyStopping.add(instance);
    } else if (state == State.READY) {
      gracefullyStopping.remove(instance);
    }
    State before = states.put(instance, state);
    if (before != state && (before != null || state != State.READY)) {
      log.atInfo().addKeyValue("instance", instance.host() + ":" + instance.port()).addKeyValue("state", state)
          .log(state == State.READY ? "Instance ready again" : "Instance left out");
    }
  }

  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return probes.close();
  }
}
