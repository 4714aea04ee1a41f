package kr.go.procurement.gateway.auth;

/** Why a bearer token was not accepted; the message is written for the client (it names no key or secret). */
public final class TokenRejected extends RuntimeException {

  /** Reasons, also the {@code reason} tag of the {@code gateway_auth_failures_total} metric. */
  public enum Reason {
    MISSING, MALFORMED, UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_ISSUER, WRONG_AUDIENCE,
    BAD_CLAIMS,
    /** Not the client's fault: the identity provider's keys could not be fetched yet (503, not 401). */
    KEYS_UNAVAILABLE
  }

  private final Reason reason;

  public TokenRejected(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
