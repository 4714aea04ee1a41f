package kr.go.procurement.platform.domain;

/** The client's {@code If-Match} names an older version than the stored one (answered 412). */
public class StaleVersion extends RuntimeException {

  public StaleVersion(int stored, int sent) {
    super("The record was changed since you read it (version " + stored + ", you sent " + sent + "); read it again.",
        null, false, false);
  }
}
