package kr.go.procurement.notification;

import java.time.Duration;
import java.util.Locale;
import kr.go.procurement.notification.client.HttpSmsProvider;
import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.config.KafkaConfig;
import kr.go.procurement.platform.config.MongoConfig;

/**
 * Everything notification-svc reads from its environment (see docs/service-environment.md).
 *
 * @param provider          {@code SMS_PROVIDER}: {@code logging} (default) or {@code http}
 * @param http              the HTTP provider's settings ({@code SMS_PROVIDER_URL}, {@code SMS_TIMEOUT_MS},
 *                          {@code SMS_HTTP_RETRIES}, {@code SMS_HTTP_RETRY_BACKOFF_MS}, {@code SMS_CB_MAX_FAILURES},
 *                          {@code SMS_CB_RESET_MS})
 * @param policy            {@code SMS_MAX_ATTEMPTS}, {@code SMS_RETRY_BACKOFF_MS} (the reconciler's, doubled per
 *                          attempt), {@code SMS_SEND_LEASE_MS} (how long one sender holds a record)
 * @param reconcileInterval {@code SMS_RECONCILE_INTERVAL_MS}
 */
public record NotificationConfig(int httpPort, MongoConfig mongo, KafkaConfig kafka, String provider,
                                 HttpSmsProvider.Options http, SmsDispatcher.Policy policy,
                                 Duration reconcileInterval) {

  public static NotificationConfig fromEnv(Env env) {
    String provider = env.string("SMS_PROVIDER", "logging").toLowerCase(Locale.ROOT);
    if (!provider.equals("logging") && !provider.equals("http")) {
      throw new IllegalArgumentException("SMS_PROVIDER must be logging or http, got '" + provider + "'");
    }
    Duration timeout = env.millis("SMS_TIMEOUT_MS", 3_000);
    int retries = env.integer("SMS_HTTP_RETRIES", 2);
    Duration retryBackoff = env.millis("SMS_HTTP_RETRY_BACKOFF_MS", 200);
    // A sender must be done (all its HTTP tries) before its lease runs out, or a second one could start.
    long minLease = timeout.toMillis() * (retries + 1) + (retryBackoff.toMillis() << Math.min(retries, 20)) + 1_000;
    return new NotificationConfig(
        env.integer("HTTP_PORT", 8085),
        MongoConfig.fromEnv(env),
        KafkaConfig.fromEnv(env, "notification-svc"),
        provider,
        new HttpSmsProvider.Options(
            env.optional("SMS_PROVIDER_URL").orElse(null),
            timeout,
            retries,
            retryBackoff,
            env.integer("SMS_CB_MAX_FAILURES", 5),
            env.millis("SMS_CB_RESET_MS", 10_000)),
        new SmsDispatcher.Policy(
            env.integer("SMS_MAX_ATTEMPTS", 10),
            env.millis("SMS_RETRY_BACKOFF_MS", 5_000),
            Duration.ofMillis(Math.max(minLease, env.longValue("SMS_SEND_LEASE_MS", 60_000)))),
        env.millis("SMS_RECONCILE_INTERVAL_MS", 15_000));
  }
}
