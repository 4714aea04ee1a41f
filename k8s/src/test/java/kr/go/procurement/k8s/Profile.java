package kr.go.procurement.k8s;

/**
 * What an overlay promises, which decides some checks.
 *
 * @param secretsOutside Secrets are created outside the repository (referenced, never rendered)
 * @param infrastructure PostgreSQL, Kafka and MongoDB run in the namespace (single-replica, not for production)
 * @param production     stricter resources, at least two replicas of what takes traffic, nothing dev-only
 */
record Profile(String name, boolean secretsOutside, boolean infrastructure, boolean production) {

  static final Profile DEV = new Profile("dev", false, true, false);
  static final Profile PROD = new Profile("prod", true, false, true);
}
