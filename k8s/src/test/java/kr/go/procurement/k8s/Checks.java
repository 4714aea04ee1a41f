package kr.go.procurement.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.go.procurement.k8s.CodeFacts.Accessor;
import kr.go.procurement.k8s.CodeFacts.ServiceCode;
import kr.go.procurement.k8s.Manifests.Workload;
import kr.go.procurement.k8s.NetworkModel.Pod;
import kr.go.procurement.k8s.NetworkModel.Port;

/**
 * The checks on a rendered overlay. Each returns the violations it found (an empty list passes), so that the tests
 * can also prove, on a deliberately broken rendering, that each one catches its kind of mistake.
 */
final class Checks {

  // ---- The deliberate decisions these checks encode (everything else comes from the code or the manifests). ----

  /**
   * Variables a service reads whose code default is right in Kubernetes, so the manifests leave them unset. Every
   * other variable a service reads must be set in every overlay.
   */
  static final Map<String, String> DEFAULTED = Map.of(
      "KAFKA_GROUP_ID", "defaults to the service's own name: one consumer group per service, as it must be",
      "PG_SCHEMA", "defaults to the service's own schema (request, management, delivery)",
      "CORS_ALLOWED_ORIGINS", "unset means no CORS: the web console is served by the gateway itself (same origin)",
      "JWT_JWKS_REFRESH_MS", "read only together with JWT_JWKS_URL",
      "SMS_PROVIDER_URL", "read only with SMS_PROVIDER=http, and then required (checked below)",
      // management-svc's test-only slow-down switch (/faults/delay) for the system tests; unset means off, which is
      // what a cluster must have
      "FAULT_INJECTION", "test-only switch of management-svc, off when unset; only the system tests' stack sets it");

  /** Variables that must not be set in a cluster. */
  static final Map<String, String> FORBIDDEN = Map.of(
      "PARENT_PID", "the local stack's parent-process watch: in a pod the service would exit when that pid is gone");

  /** Groups of which exactly one variable must be set (the gateway's token key source). */
  static final List<List<String>> EXACTLY_ONE = List.of(
      List.of("JWT_HS256_SECRET", "JWT_PUBLIC_KEY_PEM", "JWT_JWKS_URL"));

  /** Values a cluster needs: JSON logs for the collector; never the laptop-only token endpoint. */
  static final Map<String, String> REQUIRED_VALUES = Map.of(
      "LOG_FORMAT", "json",
      "GATEWAY_LOCAL_TOKENS", "false");

  /** Deployments with a HorizontalPodAutoscaler (issue 6). status-view is left out on purpose: its SSE feed is fed by
   * the process's own Kafka consumer, so replicas would split the changes between them. */
  static final Set<String> AUTOSCALED = Set.of("gateway-svc", "request-svc", "management-svc", "delivery-svc");

  /** Assumed cluster add-ons (k8s/README.md, "Cluster prerequisites"): where the Ingress controller, Prometheus and
   * cluster DNS run, as the NetworkPolicies name them. */
  static final Pod INGRESS_CONTROLLER = external("ingress-controller", "ingress-nginx",
      Map.of("app.kubernetes.io/name", "ingress-nginx"));
  static final Pod PROMETHEUS = external("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
  static final Pod KUBE_DNS = new Pod("kube-dns", "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
      Map.of("k8s-app", "kube-dns"), List.of());

  /** Connections per replica beyond PG_POOL_SIZE: the outbox relay's LISTEN connection and Flyway's at start-up. */
  static final int PG_EXTRA_CONNECTIONS = 2;

  private final Manifests m;
  private final CodeFacts code;
  private final Profile profile;
  private final String namespace;

  Checks(Manifests m, CodeFacts code, Profile profile) {
    this.m = m;
    this.code = code;
    this.profile = profile;
    this.namespace = m.deployments().isEmpty() ? "procurement" : m.deployments().get(0).getMetadata().getNamespace();
  }

  /** Every check by name, in the order of the list. */
  Map<String, Function<Checks, List<String>>> all() {
    Map<String, Function<Checks, List<String>>> all = new LinkedHashMap<>();
    all.put("schema", Checks::schema);
    all.put("services", Checks::services);
    all.put("images", Checks::images);
    all.put("probes", Checks::probes);
    all.put("resources", Checks::resources);
    all.put("security", Checks::security);
    all.put("shutdown", Checks::shutdown);
    all.put("environment", Checks::environment);
    all.put("serviceSelectors", Checks::serviceSelectors);
    all.put("autoscaling", Checks::autoscaling);
    all.put("disruptionBudgets", Checks::disruptionBudgets);
    all.put("networkPolicies", Checks::networkPolicies);
    all.put("ingress", Checks::ingress);
    all.put("topics", Checks::topics);
    all.put("volumes", Checks::volumes);
    all.put("infrastructure", Checks::infrastructure);
    return all;
  }

  // ------------------------------------------------------------------------------------------------- schema

  /** Every object is of a known kind, has only fields its type has, and lives in the one namespace. */
  List<String> schema() {
    List<String> v = new ArrayList<>(m.unknownFields());
    m.unknownKinds().forEach(k -> v.add(k + ": a kind the tests do not model"));
    for (var o : m.all()) {
      boolean clusterScoped = o.getKind().equals("Namespace");
      if (!clusterScoped && !namespace.equals(o.getMetadata().getNamespace())) {
        v.add(o.getKind() + "/" + o.getMetadata().getName() + ": namespace " + o.getMetadata().getNamespace()
            + ", not " + namespace);
      }
    }
    if (m.of(io.fabric8.kubernetes.api.model.Namespace.class).stream()
        .noneMatch(n -> n.getMetadata().getName().equals(namespace))) {
      v.add("Namespace " + namespace + " is not part of the rendering");
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------------ services

  /** One Deployment per service of the code (the original left the gateway out), one container each. */
  List<String> services() {
    List<String> v = new ArrayList<>();
    Set<String> deployed = new TreeSet<>();
    m.deployments().forEach(d -> deployed.add(d.getMetadata().getName()));
    Set<String> inCode = new TreeSet<>(code.services().keySet());
    if (!deployed.equals(inCode)) {
      v.add("Deployments " + deployed + " differ from the services in the code " + inCode);
    }
    for (Deployment d : m.deployments()) {
      if (d.getSpec().getTemplate().getSpec().getContainers().size() != 1) {
        v.add(d.getMetadata().getName() + ": expected one container");
      }
    }
    return v;
  }

  // -------------------------------------------------------------------------------------------------- images

  /** Tagged images (never :latest), each service its own image; prod pulls from a registry. */
  List<String> images() {
    List<String> v = new ArrayList<>();
    for (Workload w : m.workloads()) {
      for (Container c : w.containers()) {
        String image = c.getImage();
        String name = image;
        String tag = null;
        int at = image.indexOf('@');
        if (at >= 0) {
          name = image.substring(0, at);
          tag = image.substring(at + 1);
        } else if (image.lastIndexOf(':') > image.lastIndexOf('/')) {
          name = image.substring(0, image.lastIndexOf(':'));
          tag = image.substring(image.lastIndexOf(':') + 1);
        }
        if (tag == null || tag.isBlank() || tag.equals("latest")) {
          v.add(w.id() + ": image " + image + " has no fixed tag");
        }
        if ("Always".equals(c.getImagePullPolicy()) && tag != null && !tag.startsWith("sha256:")) {
          v.add(w.id() + ": imagePullPolicy Always with a tag: a re-pushed tag would change running pods");
        }
        if (code.services().containsKey(w.name()) && w.owner() instanceof Deployment) {
          if (!name.endsWith("/" + w.name())) {
            v.add(w.id() + ": image " + image + " is not the image of " + w.name());
          }
          String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
          if (profile.production() && !(first.contains(".") || first.contains(":"))) {
            v.add(w.id() + ": image " + image + " names no registry host");
          }
        }
      }
    }
    return v;
  }

  // -------------------------------------------------------------------------------------------------- probes

  /**
   * Startup, readiness and liveness probes on the paths the service's router registers, on the port its port
   * variable is set to; readiness waits longer than the service's own per-check timeout. Infrastructure pods have
   * all three probes too.
   */
  List<String> probes() {
    List<String> v = new ArrayList<>();
    int checkTimeout = code.readinessCheckTimeoutSeconds();
    for (Workload w : m.workloads()) {
      if (w.owner() instanceof Job) {
        continue;
      }
      for (Container c : w.containers()) {
        String id = w.id();
        if (c.getStartupProbe() == null || c.getReadinessProbe() == null || c.getLivenessProbe() == null) {
          v.add(id + ": needs a startup, a readiness and a liveness probe");
          continue;
        }
        ServiceCode s = code.services().get(w.name());
        if (s == null) {
          continue;
        }
        ContainerEnv env = new ContainerEnv(c, m, profile.secretsOutside());
        Optional<Integer> port = env.value(s.portVariable()).flatMap(Checks::integer);
        if (port.isEmpty()) {
          v.add(id + ": " + s.portVariable() + " (the port the service listens on) is not set to a number");
          continue;
        }
        if (c.getPorts() == null || c.getPorts().stream().noneMatch(p -> p.getContainerPort().equals(port.get()))) {
          v.add(id + ": no container port " + port.get() + " (" + s.portVariable() + ")");
        }
        v.addAll(httpProbe(id, "startupProbe", c.getStartupProbe(), s.livePath(), port.get(), c));
        v.addAll(httpProbe(id, "readinessProbe", c.getReadinessProbe(), s.readyPath(), port.get(), c));
        v.addAll(httpProbe(id, "livenessProbe", c.getLivenessProbe(), s.livePath(), port.get(), c));
        Integer timeout = c.getReadinessProbe().getTimeoutSeconds();
        if (timeout == null || timeout <= checkTimeout) {
          v.add(id + ": readinessProbe.timeoutSeconds " + timeout + " must exceed the service's own readiness check "
              + "timeout (" + checkTimeout + " s, Readiness.DEFAULT_TIMEOUT)");
        }
        Map<String, String> ann = w.template().getMetadata().getAnnotations();
        if (ann == null || !"true".equals(ann.get("prometheus.io/scrape"))
            || !String.valueOf(port.get()).equals(ann.get("prometheus.io/port"))
            || !s.metricsPath().equals(ann.get("prometheus.io/path"))) {
          v.add(id + ": pod annotations must say prometheus.io/scrape=true, port=" + port.get() + ", path="
              + s.metricsPath() + " (got " + ann + ")");
        }
      }
    }
    return v;
  }

  private static List<String> httpProbe(String id, String which, Probe probe, String path, int port, Container c) {
    List<String> v = new ArrayList<>();
    HTTPGetAction get = probe.getHttpGet();
    if (get == null) {
      v.add(id + ": " + which + " must be an HTTP GET of " + path);
      return v;
    }
    if (!path.equals(get.getPath())) {
      v.add(id + ": " + which + " path " + get.getPath() + " is not " + path + " (the path the service serves)");
    }
    Integer resolved = resolvePort(get.getPort(), c.getPorts());
    if (resolved == null || resolved != port) {
      v.add(id + ": " + which + " port " + portText(get.getPort()) + " is not the service's port " + port);
    }
    return v;
  }

  // ----------------------------------------------------------------------------------------------- resources

  /** CPU and memory requests and limits on every container, requests within limits; prod: memory request = limit. */
  List<String> resources() {
    List<String> v = new ArrayList<>();
    for (Workload w : m.workloads()) {
      for (Container c : w.containers()) {
        var r = c.getResources();
        Map<String, Quantity> req = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> lim = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        for (String res : List.of("cpu", "memory")) {
          if (!req.containsKey(res) || !lim.containsKey(res)) {
            v.add(w.id() + ": needs a " + res + " request and limit");
          } else if (Quantity.getAmountInBytes(req.get(res)).compareTo(Quantity.getAmountInBytes(lim.get(res))) > 0) {
            v.add(w.id() + ": " + res + " request above its limit");
          }
        }
        if (profile.production() && req.containsKey("memory") && lim.containsKey("memory")
            && Quantity.getAmountInBytes(req.get("memory")).compareTo(Quantity.getAmountInBytes(lim.get("memory"))) != 0) {
          v.add(w.id() + ": in prod the memory request must equal the limit");
        }
      }
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------------ security

  /** Non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp; services: read-only root with /tmp. */
  List<String> security() {
    List<String> v = new ArrayList<>();
    for (Workload w : m.workloads()) {
      PodSpec spec = w.template().getSpec();
      var pod = spec.getSecurityContext();
      boolean app = code.services().containsKey(w.name()) && w.owner() instanceof Deployment;
      for (Container c : w.containers()) {
        var sc = c.getSecurityContext();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
            : pod == null ? null : pod.getRunAsNonRoot();
        Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        if (!Boolean.TRUE.equals(nonRoot) || (uid != null && uid == 0)) {
          v.add(w.id() + ": must run as non-root (runAsNonRoot: true, a non-zero runAsUser)");
        }
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          v.add(w.id() + ": allowPrivilegeEscalation must be false");
        }
        if (sc == null || sc.getPrivileged() != null && sc.getPrivileged()) {
          v.add(w.id() + ": must not be privileged");
        }
        if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
            || !sc.getCapabilities().getDrop().contains("ALL")
            || sc.getCapabilities().getAdd() != null && !sc.getCapabilities().getAdd().isEmpty()) {
          v.add(w.id() + ": must drop ALL capabilities and add none");
        }
        String seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
            : pod != null && pod.getSeccompProfile() != null ? pod.getSeccompProfile().getType() : null;
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
          v.add(w.id() + ": needs seccompProfile RuntimeDefault");
        }
        if (app) {
          if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            v.add(w.id() + ": a service's root filesystem must be read-only");
          }
          boolean tmp = c.getVolumeMounts() != null && c.getVolumeMounts().stream().anyMatch(vm ->
              vm.getMountPath().equals("/tmp") && volume(spec, vm.getName()).map(vol -> vol.getEmptyDir() != null)
                  .orElse(false));
          if (!tmp) {
            v.add(w.id() + ": needs an emptyDir at /tmp (the JVM's and Vert.x's only writable place)");
          }
        }
      }
      if (spec.getHostNetwork() != null && spec.getHostNetwork() || spec.getHostPID() != null && spec.getHostPID()) {
        v.add(w.id() + ": must not use the host's network or process namespace");
      }
      if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
        v.add(w.id() + ": automountServiceAccountToken must be false (nothing here calls the Kubernetes API)");
      }
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------------ shutdown

  /**
   * The pod's termination matches the services' graceful shutdown: the grace period covers the preStop sleep plus
   * the whole shutdown budget (ServiceMain.SHUTDOWN_BUDGET_SECONDS); SHUTDOWN_DRAIN_MS is set within the cap the
   * code applies (budget − Lifecycle.HTTP_GRACE); rollouts never remove a ready pod before its successor is ready;
   * no Service-link variables.
   */
  List<String> shutdown() {
    List<String> v = new ArrayList<>();
    int budget = code.shutdownBudgetSeconds();
    long capMs = (budget - code.httpGraceSeconds()) * 1000L;
    for (Deployment d : m.deployments()) {
      String id = "Deployment/" + d.getMetadata().getName();
      PodSpec spec = d.getSpec().getTemplate().getSpec();
      if (!code.services().containsKey(d.getMetadata().getName())) {
        continue;
      }
      Container c = spec.getContainers().get(0);
      long preStop = preStopSeconds(c);
      if (preStop <= 0) {
        v.add(id + ": needs a preStop sleep, so the endpoints drop the pod before it stops accepting requests");
      }
      long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
      if (grace < preStop + budget) {
        v.add(id + ": terminationGracePeriodSeconds " + grace + " < preStop " + preStop + " s + shutdown budget "
            + budget + " s: the kubelet would kill the JVM in the middle of its shutdown");
      }
      ContainerEnv env = new ContainerEnv(c, m, profile.secretsOutside());
      Optional<Long> drain = env.value("SHUTDOWN_DRAIN_MS").flatMap(Checks::longValue);
      if (drain.isEmpty() || drain.get() <= 0) {
        v.add(id + ": SHUTDOWN_DRAIN_MS must be set (readiness DOWN some time before the server closes)");
      } else if (drain.get() > capMs) {
        v.add(id + ": SHUTDOWN_DRAIN_MS " + drain.get() + " exceeds what the service uses (" + capMs + " ms)");
      }
      var strategy = d.getSpec().getStrategy();
      IntOrString maxUnavailable = strategy == null || strategy.getRollingUpdate() == null ? null
          : strategy.getRollingUpdate().getMaxUnavailable();
      if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || maxUnavailable == null
          || !(Objects.equals(maxUnavailable.getIntVal(), 0) || "0%".equals(maxUnavailable.getStrVal()))) {
        v.add(id + ": rolling update with maxUnavailable 0 (zero-downtime deploy)");
      }
      if (!Boolean.FALSE.equals(spec.getEnableServiceLinks())) {
        v.add(id + ": enableServiceLinks must be false (Service links inject *_PORT/*_HOST variables)");
      }
    }
    return v;
  }

  private static long preStopSeconds(Container c) {
    if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
      return 0;
    }
    var handler = c.getLifecycle().getPreStop();
    if (handler.getSleep() != null) {
      return handler.getSleep().getSeconds();
    }
    if (handler.getExec() != null && handler.getExec().getCommand() != null) {
      List<String> cmd = handler.getExec().getCommand();
      String joined = String.join(" ", cmd);
      Matcher mm = Pattern.compile("\\bsleep\\s+(\\d+)\\b").matcher(joined);
      if (mm.find()) {
        return Long.parseLong(mm.group(1));
      }
    }
    return 0;
  }

  // --------------------------------------------------------------------------------------------- environment

  /**
   * Every variable a service's code reads is set (except the commented {@link #DEFAULTED} ones), valid for how the
   * code parses it, and each variable set is one the code reads (or one that another uses through $(NAME)).
   */
  List<String> environment() {
    List<String> v = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      ServiceCode s = code.services().get(d.getMetadata().getName());
      if (s == null) {
        continue;
      }
      String id = "Deployment/" + s.name();
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      ContainerEnv env = new ContainerEnv(c, m, profile.secretsOutside());
      env.problems().forEach(p -> v.add(id + ": " + p));
      Set<String> oneOf = new LinkedHashSet<>();
      EXACTLY_ONE.forEach(oneOf::addAll);
      for (CodeFacts.EnvVar var : s.env().values()) {
        String name = var.name();
        if (FORBIDDEN.containsKey(name)) {
          if (env.vars().containsKey(name)) {
            v.add(id + ": " + name + " must not be set: " + FORBIDDEN.get(name));
          }
          continue;
        }
        if (!env.isSet(name) && !DEFAULTED.containsKey(name) && !oneOf.contains(name)) {
          v.add(id + ": " + name + " is read by the code (" + var.readIn() + ") but not set");
        }
        env.value(name).ifPresent(value -> {
          if (!value.equals(ContainerEnv.UNKNOWN) && !valid(var.accessor(), value)) {
            v.add(id + ": " + name + "=" + value + " is not a valid " + var.accessor().name().toLowerCase()
                + " (the code reads it with env." + var.accessor().name().toLowerCase() + ")");
          }
        });
      }
      for (List<String> group : EXACTLY_ONE) {
        if (group.stream().anyMatch(s.env()::containsKey)) {
          long set = group.stream().filter(env::isSet).count();
          if (set != 1) {
            v.add(id + ": exactly one of " + group + " must be set, found " + set);
          }
        }
      }
      REQUIRED_VALUES.forEach((name, value) -> {
        if (s.env().containsKey(name) && !value.equalsIgnoreCase(env.value(name).orElse(""))) {
          v.add(id + ": " + name + " must be " + value + " in a cluster, is " + env.value(name).orElse("unset"));
        }
      });
      if (s.env().containsKey("SMS_PROVIDER_URL") && "http".equalsIgnoreCase(env.value("SMS_PROVIDER").orElse(""))
          && !env.isSet("SMS_PROVIDER_URL")) {
        v.add(id + ": SMS_PROVIDER=http needs SMS_PROVIDER_URL");
      }
      for (String name : env.vars().keySet()) {
        if (!s.env().containsKey(name) && !env.referenced().contains(name)) {
          v.add(id + ": " + name + " is set but " + s.name() + " never reads it (a misspelt name?)");
        }
      }
      // <SERVICE>_URL names a service of the code: it must point at that service's Kubernetes Service.
      for (String name : s.env().keySet()) {
        if (!name.endsWith("_URL")) {
          continue;
        }
        String prefix = name.substring(0, name.length() - 4);
        for (String other : code.services().keySet()) {
          if (other.replaceAll("-svc$", "").replace('-', '_').toUpperCase().equals(prefix)) {
            Optional<String> host = env.value(name).flatMap(u -> Addresses.parse(name, u, env).stream().findFirst())
                .map(Addresses.HostPort::host);
            if (host.isPresent() && !host.get().equals(other) && !host.get().startsWith(other + ".")) {
              v.add(id + ": " + name + " points at " + host.get() + ", not at " + other);
            }
          }
        }
      }
      Optional<Integer> port = env.value(s.portVariable()).flatMap(Checks::integer);
      int contractPort = contractPort();
      if (port.isPresent() && port.get() != contractPort) {
        v.add(id + ": " + s.portVariable() + "=" + port.get() + ", but the contract says every service listens on "
            + contractPort + " in Kubernetes");
      }
    }
    return v;
  }

  private static boolean valid(Accessor accessor, String value) {
    String t = value.trim();
    return switch (accessor) {
      case INTEGER -> t.matches("-?\\d{1,9}");
      case LONG, MILLIS -> t.matches("-?\\d{1,18}");
      case BOOL -> t.toLowerCase().matches("true|false|1|0|yes|no|on|off");
      case STRING -> true;
    };
  }

  /** "In Kubernetes every service listens on 8080 behind its own Service." (shared/spec/CONTRACT.md) */
  static int contractPort() {
    Path contract = Repo.root().resolveSibling("shared/spec/CONTRACT.md");
    if (Files.isRegularFile(contract)) {
      try {
        Matcher mm = Pattern.compile("In Kubernetes every service listens on (\\d+)").matcher(Files.readString(contract));
        if (mm.find()) {
          return Integer.parseInt(mm.group(1));
        }
      } catch (IOException e) {
        // fall through to the value the contract had when this was written
      }
    }
    return 8080;
  }

  // --------------------------------------------------------------------------------------------- services

  /** Every Service selects the pods of exactly one workload and targets a port those pods declare. */
  List<String> serviceSelectors() {
    List<String> v = new ArrayList<>();
    for (Service svc : m.services()) {
      String id = "Service/" + svc.getMetadata().getName();
      Map<String, String> selector = svc.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        v.add(id + ": has no selector");
        continue;
      }
      List<Workload> selected = selectedBy(selector);
      if (selected.size() != 1) {
        v.add(id + ": selects " + selected.stream().map(Workload::id).toList() + ", expected exactly one workload");
        continue;
      }
      for (ServicePort p : svc.getSpec().getPorts()) {
        IntOrString target = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
        if (resolvePort(target, selected.get(0).containers().get(0).getPorts()) == null) {
          v.add(id + ": targetPort " + portText(target) + " is not a port of " + selected.get(0).id());
        }
      }
      String type = svc.getSpec().getType();
      if (type != null && !type.equals("ClusterIP")) {
        v.add(id + ": type " + type + " would expose it outside the Ingress");
      }
    }
    for (Deployment d : m.deployments()) {
      if (m.service(d.getMetadata().getName()).isEmpty()) {
        v.add("Deployment/" + d.getMetadata().getName() + ": has no Service of the same name");
      }
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------- autoscaling

  /** autoscaling/v2 HPAs for gateway, request, management and delivery, on existing Deployments they can scale. */
  List<String> autoscaling() {
    List<String> v = new ArrayList<>();
    Set<String> targets = new TreeSet<>();
    for (HorizontalPodAutoscaler h : m.hpas()) {
      String id = "HorizontalPodAutoscaler/" + h.getMetadata().getName();
      var ref = h.getSpec().getScaleTargetRef();
      Optional<Deployment> d = "Deployment".equals(ref.getKind()) && "apps/v1".equals(ref.getApiVersion())
          ? m.deployment(ref.getName()) : Optional.empty();
      if (d.isEmpty()) {
        v.add(id + ": targets " + ref.getKind() + " " + ref.getName() + ", which is not a Deployment here");
        continue;
      }
      targets.add(ref.getName());
      int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
      if (min < 1 || min > h.getSpec().getMaxReplicas()) {
        v.add(id + ": minReplicas " + min + " / maxReplicas " + h.getSpec().getMaxReplicas());
      }
      if (profile.production() && min < 2) {
        v.add(id + ": in prod at least 2 replicas");
      }
      boolean cpu = h.getSpec().getMetrics() != null && h.getSpec().getMetrics().stream().anyMatch(mt ->
          mt.getResource() != null && "cpu".equals(mt.getResource().getName()));
      if (!cpu) {
        v.add(id + ": scales on no CPU metric");
      }
      for (Container c : d.get().getSpec().getTemplate().getSpec().getContainers()) {
        if (c.getResources() == null || c.getResources().getRequests() == null
            || !c.getResources().getRequests().containsKey("cpu")) {
          v.add(id + ": " + ref.getName() + " has no CPU request, so CPU utilisation is undefined");
        }
      }
      if (d.get().getSpec().getReplicas() != null) {
        v.add(id + ": Deployment " + ref.getName() + " sets replicas; every apply would reset what the HPA chose");
      }
    }
    if (!targets.equals(new TreeSet<>(AUTOSCALED))) {
      v.add("autoscaled Deployments " + targets + ", expected " + new TreeSet<>(AUTOSCALED));
    }
    if (profile.production()) {
      for (Deployment d : m.deployments()) {
        if (!targets.contains(d.getMetadata().getName()) && d.getMetadata().getName().equals("notification-svc")
            && (d.getSpec().getReplicas() == null || d.getSpec().getReplicas() < 2)) {
          v.add("Deployment/notification-svc: in prod at least 2 replicas");
        }
      }
    }
    return v;
  }

  // --------------------------------------------------------------------------------------- disruption budgets

  /** One PDB per service, selecting exactly that Deployment's pods, never blocking every eviction. */
  List<String> disruptionBudgets() {
    List<String> v = new ArrayList<>();
    Map<String, Integer> covered = new HashMap<>();
    for (PodDisruptionBudget pdb : m.pdbs()) {
      String id = "PodDisruptionBudget/" + pdb.getMetadata().getName();
      List<Workload> selected = m.workloads().stream()
          .filter(w -> NetworkModel.selects(pdb.getSpec().getSelector(), w.podLabels())).toList();
      if (selected.size() != 1 || !(selected.get(0).owner() instanceof Deployment)) {
        v.add(id + ": selects " + selected.stream().map(Workload::id).toList() + ", expected exactly one Deployment");
        continue;
      }
      Deployment d = (Deployment) selected.get(0).owner();
      covered.merge(d.getMetadata().getName(), 1, Integer::sum);
      int replicas = minReplicas(d);
      IntOrString maxU = pdb.getSpec().getMaxUnavailable();
      IntOrString minA = pdb.getSpec().getMinAvailable();
      boolean evictable = maxU != null ? (maxU.getIntVal() != null ? maxU.getIntVal() >= 1 : !"0%".equals(maxU.getStrVal()))
          : minA != null && minA.getIntVal() != null && minA.getIntVal() < replicas;
      if (!evictable) {
        v.add(id + ": allows no eviction at " + replicas + " replica(s): node drains would hang");
      }
    }
    for (Deployment d : m.deployments()) {
      Integer n = covered.get(d.getMetadata().getName());
      if (n == null || n != 1) {
        v.add("Deployment/" + d.getMetadata().getName() + ": covered by " + (n == null ? 0 : n)
            + " PodDisruptionBudgets, expected 1");
      }
    }
    return v;
  }

  private int minReplicas(Deployment d) {
    for (HorizontalPodAutoscaler h : m.hpas()) {
      if (h.getSpec().getScaleTargetRef().getName().equals(d.getMetadata().getName())) {
        return h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
      }
    }
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  // ---------------------------------------------------------------------------------------- network policies

  /**
   * The NetworkPolicies allow exactly the connections the system makes and nothing else: the calls each service's
   * configuration names (every *_URL, KAFKA_BOOTSTRAP_SERVERS, PG_HOST/PG_PORT and MONGO_URI it reads, resolved to
   * the Services and namespaces they name), the Ingress controller to the Ingress's backend, Prometheus to every
   * scraped pod, the dev topic Job to Kafka, and every pod to the cluster DNS. Evaluated over every pair of pods
   * (plus an Ingress controller, Prometheus, a stranger in the namespace, one elsewhere, and the servers' namespaces)
   * and every port they have.
   */
  List<String> networkPolicies() {
    List<String> v = new ArrayList<>();
    Map<String, String> nsLabels = Map.of("kubernetes.io/metadata.name", namespace);
    Map<String, Pod> pods = new LinkedHashMap<>();
    for (Workload w : m.workloads()) {
      List<ContainerPort> ports = new ArrayList<>();
      w.containers().forEach(c -> {
        if (c.getPorts() != null) {
          ports.addAll(c.getPorts());
        }
      });
      pods.put(w.id(), new Pod(w.id(), namespace, nsLabels, w.podLabels(), ports));
    }
    Pod strangerHere = new Pod("a stranger pod in " + namespace, namespace, nsLabels,
        Map.of("app.kubernetes.io/name", "stranger"), List.of());
    Pod strangerElsewhere = external("a pod in another namespace", "elsewhere", Map.of());
    Pod internet = new Pod("the internet", null, Map.of(), Map.of(), List.of());

    // The connections the system makes.
    Set<String> expected = new LinkedHashSet<>();
    Map<String, Pod> externals = new LinkedHashMap<>();
    for (Workload w : m.workloads()) {
      ServiceCode s = code.services().get(w.name());
      List<Addresses.HostPort> targets = new ArrayList<>();
      if (s != null && w.owner() instanceof Deployment) {
        ContainerEnv env = new ContainerEnv(w.containers().get(0), m, profile.secretsOutside());
        for (String var : s.env().keySet()) {
          env.value(var).ifPresent(value -> targets.addAll(Addresses.parse(var, value, env)));
        }
      } else {
        for (Container c : w.containers()) {
          List<String> words = new ArrayList<>();
          if (c.getCommand() != null) {
            words.addAll(c.getCommand());
          }
          if (c.getArgs() != null) {
            words.addAll(c.getArgs());
          }
          Matcher bs = Pattern.compile("--bootstrap-server[ =](\\S+)").matcher(String.join(" ", words));
          while (bs.find()) {
            targets.addAll(Addresses.parse("KAFKA_BOOTSTRAP_SERVERS", bs.group(1), null));
          }
        }
      }
      for (Addresses.HostPort hp : targets) {
        resolve(w.id(), hp, pods, externals, internet, v).forEach(t -> expected.add(key(w.id(), t.pod.id(), t.port)));
      }
    }
    for (Ingress ing : m.ingresses()) {
      for (var rule : ing.getSpec().getRules()) {
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
          var backend = p.getBackend().getService();
          Optional<Service> svc = m.service(backend.getName());
          if (svc.isEmpty()) {
            v.add("Ingress/" + ing.getMetadata().getName() + ": backend Service " + backend.getName() + " is not here");
            continue;
          }
          Integer svcPort = backend.getPort().getNumber() != null ? backend.getPort().getNumber()
              : svc.get().getSpec().getPorts().stream().filter(sp -> backend.getPort().getName().equals(sp.getName()))
                  .map(ServicePort::getPort).findFirst().orElse(null);
          if (svcPort == null) {
            continue;
          }
          resolve(INGRESS_CONTROLLER.id(), new Addresses.HostPort(backend.getName(), svcPort), pods, externals,
              internet, v).forEach(t -> expected.add(key(INGRESS_CONTROLLER.id(), t.pod.id(), t.port)));
        }
      }
    }
    for (Workload w : m.workloads()) {
      Map<String, String> ann = w.template().getMetadata().getAnnotations();
      if (ann != null && "true".equals(ann.get("prometheus.io/scrape"))) {
        integer(ann.get("prometheus.io/port")).ifPresent(p ->
            expected.add(key(PROMETHEUS.id(), w.id(), new Port(p, "TCP"))));
      }
    }
    List<Pod> inNamespace = new ArrayList<>(pods.values());
    inNamespace.add(strangerHere);
    for (Pod p : inNamespace) {
      expected.add(key(p.id(), KUBE_DNS.id(), new Port(53, "UDP")));
      expected.add(key(p.id(), KUBE_DNS.id(), new Port(53, "TCP")));
    }

    // Every namespace a policy names is a place something could be let into or out of.
    for (var policy : m.networkPolicies()) {
      String text = Manifests.toMap(policy).toString();
      Matcher nm = Pattern.compile("kubernetes\\.io/metadata\\.name=([a-z0-9-]+)").matcher(text);
      while (nm.find()) {
        String ns = nm.group(1);
        if (!ns.equals(namespace) && !Set.of("kube-system", "ingress-nginx", "monitoring").contains(ns)) {
          externals.computeIfAbsent("namespace " + ns, k -> external("a pod in namespace " + ns, ns, Map.of()));
        }
      }
    }
    Set<Port> externalPorts = new TreeSet<>((a, b) -> a.number() != b.number() ? a.number() - b.number()
        : a.protocol().compareTo(b.protocol()));
    expected.forEach(e -> externalPorts.add(portOf(e)));
    for (var policy : m.networkPolicies()) {
      for (var rule : Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of())) {
        Optional.ofNullable(rule.getPorts()).orElse(List.of()).forEach(p -> {
          if (p.getPort() != null && p.getPort().getIntVal() != null) {
            externalPorts.add(new Port(p.getPort().getIntVal(), p.getProtocol() == null ? "TCP" : p.getProtocol()));
          }
        });
      }
    }

    NetworkModel model = new NetworkModel(namespace, m.networkPolicies());
    List<Pod> sources = new ArrayList<>(inNamespace);
    sources.addAll(List.of(INGRESS_CONTROLLER, PROMETHEUS, strangerElsewhere, internet));
    sources.addAll(externals.values());
    List<Pod> destinations = new ArrayList<>(inNamespace);
    destinations.add(KUBE_DNS);
    destinations.add(internet);
    destinations.addAll(externals.values());
    destinations.add(strangerElsewhere);
    for (Pod src : sources) {
      for (Pod dst : destinations) {
        if (src == dst || (!namespace.equals(src.namespace()) && !namespace.equals(dst.namespace()))) {
          continue;
        }
        List<Port> ports = new ArrayList<>();
        if (namespace.equals(dst.namespace()) && !dst.ports().isEmpty()) {
          dst.ports().forEach(cp -> ports.add(new Port(cp.getContainerPort(),
              cp.getProtocol() == null ? "TCP" : cp.getProtocol())));
        } else if (dst == KUBE_DNS) {
          ports.addAll(List.of(new Port(53, "UDP"), new Port(53, "TCP")));
        } else {
          ports.addAll(externalPorts);
        }
        for (Port port : ports) {
          boolean allowed = model.allowed(src, dst, port);
          boolean wanted = expected.contains(key(src.id(), dst.id(), port));
          if (allowed && !wanted) {
            v.add("allowed but no code makes this call: " + src.id() + " -> " + dst.id() + ":" + port);
          } else if (!allowed && wanted) {
            v.add("blocked, but the system makes this call: " + src.id() + " -> " + dst.id() + ":" + port);
          }
        }
      }
    }
    return v;
  }

  private record Target(Pod pod, Port port) {
  }

  /** Where host:port leads: the pods of a Service here, a namespace of the cluster, or outside the cluster. */
  private List<Target> resolve(String from, Addresses.HostPort hp, Map<String, Pod> pods, Map<String, Pod> externals,
                               Pod internet, List<String> v) {
    String[] parts = hp.host().split("\\.");
    boolean here = parts.length == 1 || parts[1].equals(namespace) && (parts.length == 2 || parts[2].equals("svc"));
    if (here) {
      Optional<Service> svc = m.service(parts[0]);
      if (svc.isEmpty()) {
        v.add(from + ": calls " + hp.host() + ":" + hp.port() + ", but there is no Service " + parts[0]);
        return List.of();
      }
      Optional<ServicePort> sp = svc.get().getSpec().getPorts().stream().filter(p -> p.getPort() == hp.port()).findFirst();
      if (sp.isEmpty()) {
        v.add(from + ": calls " + hp.host() + ":" + hp.port() + ", but Service " + parts[0] + " has no port " + hp.port());
        return List.of();
      }
      List<Target> result = new ArrayList<>();
      for (Workload w : selectedBy(svc.get().getSpec().getSelector())) {
        IntOrString target = sp.get().getTargetPort() == null ? new IntOrString(hp.port()) : sp.get().getTargetPort();
        Integer port = resolvePort(target, w.containers().get(0).getPorts());
        if (port != null) {
          result.add(new Target(pods.get(w.id()), new Port(port, "TCP")));
        }
      }
      if (result.isEmpty()) {
        v.add(from + ": calls " + hp.host() + ":" + hp.port() + ", but Service " + parts[0] + " leads to no pod port");
      }
      return result;
    }
    if (parts.length >= 3 && parts[2].equals("svc")) {
      Pod pod = externals.computeIfAbsent("namespace " + parts[1],
          k -> external("a pod in namespace " + parts[1], parts[1], Map.of()));
      return List.of(new Target(pod, new Port(hp.port(), "TCP")));
    }
    return List.of(new Target(internet, new Port(hp.port(), "TCP")));
  }

  private static String key(String src, String dst, Port port) {
    return src + " -> " + dst + " :" + port.number() + "/" + port.protocol();
  }

  private static Port portOf(String key) {
    String[] p = key.substring(key.lastIndexOf(':') + 1).split("/");
    return new Port(Integer.parseInt(p[0]), p[1]);
  }

  private static Pod external(String id, String ns, Map<String, String> labels) {
    return new Pod(id, ns, Map.of("kubernetes.io/metadata.name", ns), labels, List.of());
  }

  // ------------------------------------------------------------------------------------------------ ingress

  /**
   * Only the gateway is published: every Ingress path leads to it, the paths are its public routes (RouteTable) and
   * its console at "/", and neither the health nor the metrics paths are reachable through them.
   */
  List<String> ingress() {
    List<String> v = new ArrayList<>();
    if (m.ingresses().isEmpty()) {
      v.add("no Ingress");
      return v;
    }
    Set<String> backends = new TreeSet<>();
    Set<String> prefixes = new TreeSet<>();
    List<HTTPIngressPath> all = new ArrayList<>();
    for (Ingress ing : m.ingresses()) {
      if (ing.getSpec().getDefaultBackend() != null) {
        v.add("Ingress/" + ing.getMetadata().getName() + ": a default backend publishes every path");
      }
      for (var rule : ing.getSpec().getRules()) {
        for (HTTPIngressPath p : rule.getHttp().getPaths()) {
          all.add(p);
          backends.add(p.getBackend().getService().getName());
          if ("Prefix".equals(p.getPathType())) {
            prefixes.add(p.getPath());
          }
        }
      }
    }
    if (backends.size() != 1) {
      v.add("Ingress backends " + backends + ": only the gateway may be published");
      return v;
    }
    String gateway = backends.iterator().next();
    if (!code.services().containsKey(gateway)) {
      v.add("Ingress backend " + gateway + " is not a service of the code");
      return v;
    }
    ServiceCode s = code.service(gateway);
    Set<String> routes = code.routePrefixes(gateway);
    for (String r : routes) {
      if (!prefixes.contains(r)) {
        v.add("Ingress: the gateway's route " + r + " is not published (Prefix " + r + ")");
      }
    }
    for (HTTPIngressPath p : all) {
      String path = p.getPath();
      boolean exact = "Exact".equals(p.getPathType());
      boolean known = path.equals("/") && exact || routes.stream().anyMatch(r -> path.equals(r) || path.startsWith(r + "/"));
      if (!known) {
        v.add("Ingress: path " + path + " (" + p.getPathType() + ") is not one of the gateway's routes");
      }
      for (String internal : List.of(s.livePath(), s.readyPath(), s.metricsPath())) {
        boolean covers = exact ? path.equals(internal) : internal.equals(path) || internal.startsWith(
            path.endsWith("/") ? path : path + "/");
        if (covers) {
          v.add("Ingress: path " + path + " publishes " + internal);
        }
      }
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------------- topics

  /**
   * The topics the services use (KAFKA_TOPIC, and the dead-letter topic KafkaConfig derives from it) are declared:
   * as Strimzi KafkaTopics where an operator runs them (prod), or created by the dev Job with the same partitions.
   */
  List<String> topics() {
    List<String> v = new ArrayList<>();
    Set<String> topics = new TreeSet<>();
    for (Deployment d : m.deployments()) {
      ServiceCode s = code.services().get(d.getMetadata().getName());
      if (s != null && s.env().containsKey("KAFKA_TOPIC")) {
        new ContainerEnv(d.getSpec().getTemplate().getSpec().getContainers().get(0), m, profile.secretsOutside())
            .value("KAFKA_TOPIC").ifPresent(topics::add);
      }
    }
    if (topics.size() != 1) {
      v.add("the services do not agree on KAFKA_TOPIC: " + topics);
      return v;
    }
    String topic = topics.iterator().next();
    Set<String> needed = new TreeSet<>(List.of(topic, topic + code.deadLetterSuffix()));
    Map<String, Integer> declared = declaredTopics(Checks.base());
    if (!declared.keySet().equals(needed)) {
      v.add("base KafkaTopics " + declared.keySet() + ", the services use " + needed);
    }
    Map<String, Integer> here = new LinkedHashMap<>();
    for (GenericKubernetesResource t : m.kafkaTopics()) {
      here.put(t.getMetadata().getName(), partitions(t));
      if (t.getMetadata().getLabels() == null || !t.getMetadata().getLabels().containsKey("strimzi.io/cluster")) {
        v.add("KafkaTopic/" + t.getMetadata().getName() + ": needs the strimzi.io/cluster label");
      }
    }
    if (profile.infrastructure()) {
      if (!here.isEmpty()) {
        v.add("dev has no Strimzi operator, but renders KafkaTopics " + here.keySet());
      }
      Map<String, Integer> created = new LinkedHashMap<>();
      for (Job j : m.jobs()) {
        for (Container c : j.getSpec().getTemplate().getSpec().getContainers()) {
          List<String> words = new ArrayList<>(Optional.ofNullable(c.getCommand()).orElse(List.of()));
          words.addAll(Optional.ofNullable(c.getArgs()).orElse(List.of()));
          Matcher mm = Pattern.compile("--create\\b[^\\n]*?--topic\\s+(\\S+)[^\\n]*?--partitions\\s+(\\d+)")
              .matcher(String.join(" ", words));
          while (mm.find()) {
            created.put(mm.group(1), Integer.parseInt(mm.group(2)));
          }
        }
      }
      if (!created.equals(declared)) {
        v.add("the dev Job creates topics " + created + ", base declares " + declared);
      }
    } else if (!here.equals(declared)) {
      v.add("KafkaTopics " + here + " differ from base " + declared);
    }
    return v;
  }

  private static Map<String, Integer> declaredTopics(Manifests base) {
    Map<String, Integer> result = new LinkedHashMap<>();
    for (GenericKubernetesResource t : base.kafkaTopics()) {
      result.put(t.getMetadata().getName(), partitions(t));
    }
    return result;
  }

  private static int partitions(GenericKubernetesResource t) {
    Object spec = t.getAdditionalProperties().get("spec");
    Object p = spec instanceof Map<?, ?> s ? s.get("partitions") : null;
    return p instanceof Number n ? n.intValue() : -1;
  }

  static Manifests base() {
    return Renderer.JAVA.render(Repo.base());
  }

  // ------------------------------------------------------------------------------------------------ volumes

  /** Every mount names a volume of its pod; every claim, ConfigMap and Secret volume names something that exists. */
  List<String> volumes() {
    List<String> v = new ArrayList<>();
    Set<String> claims = new TreeSet<>();
    m.of(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class).forEach(c -> claims.add(c.getMetadata().getName()));
    for (Workload w : m.workloads()) {
      PodSpec spec = w.template().getSpec();
      Set<String> names = new TreeSet<>();
      Optional.ofNullable(spec.getVolumes()).orElse(List.of()).forEach(vol -> names.add(vol.getName()));
      if (w.owner() instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
        s.getSpec().getVolumeClaimTemplates().forEach(t -> names.add(t.getMetadata().getName()));
      }
      for (Container c : w.containers()) {
        for (VolumeMount vm : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
          if (!names.contains(vm.getName())) {
            v.add(w.id() + ": mounts " + vm.getName() + " at " + vm.getMountPath() + ", which is no volume of the pod");
          }
        }
      }
      for (Volume vol : Optional.ofNullable(spec.getVolumes()).orElse(List.of())) {
        if (vol.getPersistentVolumeClaim() != null && !claims.contains(vol.getPersistentVolumeClaim().getClaimName())) {
          v.add(w.id() + ": volume " + vol.getName() + " claims " + vol.getPersistentVolumeClaim().getClaimName()
              + ", which is not created here");
        }
        if (vol.getConfigMap() != null && m.configMap(vol.getConfigMap().getName()).isEmpty()) {
          v.add(w.id() + ": volume " + vol.getName() + " uses the missing ConfigMap " + vol.getConfigMap().getName());
        }
        if (vol.getSecret() != null && !profile.secretsOutside() && m.secret(vol.getSecret().getSecretName()).isEmpty()) {
          v.add(w.id() + ": volume " + vol.getName() + " uses the missing Secret " + vol.getSecret().getSecretName());
        }
      }
    }
    return v;
  }

  // ----------------------------------------------------------------------------------------- infrastructure

  /**
   * dev: the infrastructure is single-replica StatefulSets with a PersistentVolumeClaim each, labelled not for
   * production, Kafka at the project's Kafka version, PostgreSQL with connections for every service at its HPA
   * maximum. prod: nothing of that kind, and no Secret in the rendering.
   */
  List<String> infrastructure() {
    List<String> v = new ArrayList<>();
    String marker = "procurement.go.kr/not-for-production";
    if (profile.production()) {
      m.statefulSets().forEach(s -> v.add("StatefulSet/" + s.getMetadata().getName() + ": prod runs no infrastructure"));
      m.secrets().forEach(s -> v.add("Secret/" + s.getMetadata().getName() + ": prod keeps no Secret in the repository"));
      for (var o : m.all()) {
        if (o.getMetadata().getLabels() != null && o.getMetadata().getLabels().containsKey(marker)) {
          v.add(o.getKind() + "/" + o.getMetadata().getName() + ": labelled not for production, but in prod");
        }
      }
      return v;
    }
    if (!profile.infrastructure()) {
      return v;
    }
    Set<String> kinds = new TreeSet<>();
    for (StatefulSet s : m.statefulSets()) {
      String id = "StatefulSet/" + s.getMetadata().getName();
      kinds.add(s.getMetadata().getName());
      if (s.getMetadata().getLabels() == null || !"true".equals(s.getMetadata().getLabels().get(marker))
          || !"true".equals(s.getSpec().getTemplate().getMetadata().getLabels().get(marker))) {
        v.add(id + ": must be labelled " + marker + "=true (and its pods)");
      }
      if (s.getSpec().getReplicas() == null || s.getSpec().getReplicas() != 1) {
        v.add(id + ": dev infrastructure is single-replica");
      }
      var templates = s.getSpec().getVolumeClaimTemplates();
      if (templates == null || templates.isEmpty()) {
        v.add(id + ": needs a PersistentVolumeClaim (volumeClaimTemplates)");
      } else {
        for (var t : templates) {
          boolean mounted = s.getSpec().getTemplate().getSpec().getContainers().stream().anyMatch(c ->
              c.getVolumeMounts() != null && c.getVolumeMounts().stream().anyMatch(vm -> vm.getName()
                  .equals(t.getMetadata().getName())));
          if (!mounted || t.getSpec().getResources() == null || t.getSpec().getResources().getRequests() == null
              || !t.getSpec().getResources().getRequests().containsKey("storage")) {
            v.add(id + ": claim " + t.getMetadata().getName() + " must request storage and be mounted");
          }
        }
      }
      if (m.services().stream().noneMatch(svc -> svc.getMetadata().getName().equals(s.getSpec().getServiceName()))) {
        v.add(id + ": serviceName " + s.getSpec().getServiceName() + " is not a Service here");
      }
    }
    if (!kinds.containsAll(Set.of("kafka", "postgres", "mongodb"))) {
      v.add("dev must run kafka, postgres and mongodb as StatefulSets, found " + kinds);
    }
    m.statefulSets().stream().filter(s -> s.getMetadata().getName().equals("kafka")).findFirst().ifPresent(k -> {
      String image = k.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
      String version = rootPomProperty("kafka.version");
      if (!image.endsWith(":" + version)) {
        v.add("StatefulSet/kafka: image " + image + " is not Kafka " + version + " (root pom kafka.version)");
      }
    });
    m.statefulSets().stream().filter(s -> s.getMetadata().getName().equals("postgres")).findFirst().ifPresent(pg -> {
      List<String> args = Optional.ofNullable(pg.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
          .orElse(List.of());
      Matcher mc = Pattern.compile("max_connections=(\\d+)").matcher(String.join(" ", args));
      int max = mc.find() ? Integer.parseInt(mc.group(1)) : 100;
      int needed = 0;
      StringBuilder how = new StringBuilder();
      for (Deployment d : m.deployments()) {
        ServiceCode s = code.services().get(d.getMetadata().getName());
        if (s == null || !s.env().containsKey("PG_POOL_SIZE")) {
          continue;
        }
        int pool = new ContainerEnv(d.getSpec().getTemplate().getSpec().getContainers().get(0), m, false)
            .value("PG_POOL_SIZE").flatMap(Checks::integer).orElse(8);
        int replicas = maxReplicas(d);
        needed += replicas * (pool + PG_EXTRA_CONNECTIONS);
        how.append(" ").append(s.name()).append(' ').append(replicas).append("x(").append(pool).append('+')
            .append(PG_EXTRA_CONNECTIONS).append(')');
      }
      if (needed > max - 3) {
        v.add("StatefulSet/postgres: max_connections " + max + " (3 reserved) < " + needed + " needed:" + how);
      }
    });
    return v;
  }

  private int maxReplicas(Deployment d) {
    for (HorizontalPodAutoscaler h : m.hpas()) {
      if (h.getSpec().getScaleTargetRef().getName().equals(d.getMetadata().getName())) {
        return h.getSpec().getMaxReplicas();
      }
    }
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  static String rootPomProperty(String name) {
    try {
      Matcher mm = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
          Files.readString(Repo.root().resolve("pom.xml")));
      if (!mm.find()) {
        throw new IllegalStateException("root pom has no property " + name);
      }
      return mm.group(1).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // -------------------------------------------------------------------------------------------------- helpers

  private List<Workload> selectedBy(Map<String, String> selector) {
    List<Workload> result = new ArrayList<>();
    for (Workload w : m.workloads()) {
      if (selector != null && !selector.isEmpty() && w.podLabels().entrySet().containsAll(selector.entrySet())) {
        result.add(w);
      }
    }
    return result;
  }

  private static Optional<Volume> volume(PodSpec spec, String name) {
    return Optional.ofNullable(spec.getVolumes()).orElse(List.of()).stream()
        .filter(v -> v.getName().equals(name)).findFirst();
  }

  /** A port by number, or by the name of one of the container ports. */
  static Integer resolvePort(IntOrString port, List<ContainerPort> ports) {
    if (port == null) {
      return null;
    }
    if (port.getIntVal() != null) {
      return ports != null && ports.stream().anyMatch(p -> p.getContainerPort().equals(port.getIntVal()))
          ? port.getIntVal() : null;
    }
    if (ports == null) {
      return null;
    }
    return ports.stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElse(null);
  }

  private static String portText(IntOrString p) {
    return p == null ? "(none)" : p.getIntVal() != null ? String.valueOf(p.getIntVal()) : p.getStrVal();
  }

  static Optional<Integer> integer(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(Integer.parseInt(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<Long> longValue(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
