package kr.go.procurement.k8s;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The semantics of Kubernetes NetworkPolicies (networking.k8s.io/v1) over a set of pods: a pod selected by a policy
 * of a direction is isolated in that direction and accepts only what some rule of those policies allows; peers are
 * pods of the policy's namespace (podSelector), pods of matching namespaces (namespaceSelector, optionally narrowed
 * by podSelector) or addresses outside the cluster (ipBlock); ports match by number or by the destination's named
 * container port, per protocol.
 */
final class NetworkModel {

  /**
   * A pod: {@code namespace} null for an address outside the cluster. {@code ports} are its container ports (used to
   * resolve named ports).
   */
  record Pod(String id, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
             List<ContainerPort> ports) {
    boolean inCluster() {
      return namespace != null;
    }
  }

  /** A port and protocol (TCP, UDP). */
  record Port(int number, String protocol) {
    @Override
    public String toString() {
      return number + (protocol.equals("TCP") ? "" : "/" + protocol);
    }
  }

  private final String namespace;
  private final List<NetworkPolicy> policies;

  NetworkModel(String namespace, List<NetworkPolicy> policies) {
    this.namespace = namespace;
    this.policies = policies;
  }

  /** Whether a connection from src to dst on port is allowed by both ends' policies. */
  boolean allowed(Pod src, Pod dst, Port port) {
    return direction(src, dst, dst, port, false) && direction(dst, src, dst, port, true);
  }

  /**
   * @param subject the pod whose policies apply (dst for ingress, src for egress)
   * @param peer    the other end
   * @param target  the destination (whose named ports the rules' ports refer to)
   */
  private boolean direction(Pod subject, Pod peer, Pod target, Port port, boolean ingress) {
    if (!namespace.equals(subject.namespace())) {
      return true; // not governed by the policies under test
    }
    String type = ingress ? "Ingress" : "Egress";
    boolean isolated = false;
    for (NetworkPolicy p : policies) {
      if (!selects(p.getSpec().getPodSelector(), subject.labels()) || !types(p).contains(type)) {
        continue;
      }
      isolated = true;
      if (ingress) {
        for (var rule : nullSafe(p.getSpec().getIngress())) {
          if (peersMatch(rule.getFrom(), peer) && portsMatch(rule.getPorts(), target, port)) {
            return true;
          }
        }
      } else {
        for (var rule : nullSafe(p.getSpec().getEgress())) {
          if (peersMatch(rule.getTo(), peer) && portsMatch(rule.getPorts(), target, port)) {
            return true;
          }
        }
      }
    }
    return !isolated;
  }

  private static List<String> types(NetworkPolicy p) {
    List<String> types = p.getSpec().getPolicyTypes();
    if (types != null && !types.isEmpty()) {
      return types;
    }
    return p.getSpec().getEgress() == null || p.getSpec().getEgress().isEmpty()
        ? List.of("Ingress") : List.of("Ingress", "Egress");
  }

  private boolean peersMatch(List<NetworkPolicyPeer> peers, Pod pod) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        // Only addresses outside the cluster are modelled as IPs; pod addresses are not predictable.
        if (!pod.inCluster()) {
          return true;
        }
        continue;
      }
      if (!pod.inCluster()) {
        continue;
      }
      boolean nsOk = peer.getNamespaceSelector() == null ? namespace.equals(pod.namespace())
          : selects(peer.getNamespaceSelector(), pod.namespaceLabels());
      boolean podOk = peer.getPodSelector() == null || selects(peer.getPodSelector(), pod.labels());
      if (nsOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean portsMatch(List<NetworkPolicyPort> ports, Pod target, Port port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort p : ports) {
      String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!protocol.equals(port.protocol())) {
        continue;
      }
      IntOrString value = p.getPort();
      if (value == null) {
        return true;
      }
      if (value.getStrVal() != null) {
        for (ContainerPort cp : target.ports()) {
          String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
          if (value.getStrVal().equals(cp.getName()) && cp.getContainerPort() == port.number()
              && cpProtocol.equals(protocol)) {
            return true;
          }
        }
        continue;
      }
      int from = value.getIntVal();
      int to = p.getEndPort() == null ? from : p.getEndPort();
      if (port.number() >= from && port.number() <= to) {
        return true;
      }
    }
    return false;
  }

  /** Label-selector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) must all hold. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : nullSafe(selector.getMatchExpressions())) {
      String v = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> v != null && r.getValues().contains(v);
        case "NotIn" -> v == null || !r.getValues().contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> throw new IllegalArgumentException("Unknown selector operator " + r.getOperator());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
