package kr.go.procurement.notification.client;

import io.vertx.core.Future;

/**
 * The port to whoever delivers SMS (the original design calls it a third-party general domain). Implementations:
 * {@link LoggingSmsProvider} (local use) and {@link HttpSmsProvider}.
 *
 * <p>{@link SmsMessage#reference()} is the event's id and is the same on every attempt for one SMS: a provider that
 * deduplicates on it turns our retries (after a timeout, or after a crash between sending and recording) into at most
 * one delivered message.
 */
public interface SmsProvider {

  /**
   * Sends one message.
   *
   * @return the receipt; fails with {@link SmsFailure} saying why, whether a retry could help and whether the
   *     provider was reached at all
   */
  Future<SmsReceipt> send(SmsMessage message);

  default Future<Void> close() {
    return Future.succeededFuture();
  }

  /** One SMS: the normalised mobile number, the text and the idempotency reference. */
  record SmsMessage(String to, String text, String reference) {
  }

  /** The provider accepted the message; {@code messageId} is its id for it, if it gave one. */
  record SmsReceipt(String messageId) {
  }
}
