package kr.go.procurement.notification.client;

/**
 * Sending failed. The reason is shown in the SMS history, so it names no host, address or internal detail.
 *
 * @see #retryable()
 * @see #providerCalled()
 */
public final class SmsFailure extends RuntimeException {

  private final boolean retryable;
  private final boolean providerCalled;

  public SmsFailure(String reason, boolean retryable, boolean providerCalled) {
    super(reason, null, false, false);
    this.retryable = retryable;
    this.providerCalled = providerCalled;
  }

  public String reason() {
    return getMessage();
  }

  /** False when retrying cannot help (the provider refused the message itself). */
  public boolean retryable() {
    return retryable;
  }

  /** False when the provider was not even tried (open circuit): the attempt does not count. */
  public boolean providerCalled() {
    return providerCalled;
  }
}
