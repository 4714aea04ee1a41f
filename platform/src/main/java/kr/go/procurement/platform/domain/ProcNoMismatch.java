package kr.go.procurement.platform.domain;

/** The {@code procNo} in a command's body is not the record's (answered 400 with a field error on procNo). */
public class ProcNoMismatch extends RuntimeException {

  public ProcNoMismatch(String actual) {
    super("does not match this record's procNo (" + actual + ")", null, false, false);
  }

  /** Fails if {@code sent} is given and differs from {@code actual}. */
  public static void check(String sent, String actual) {
    if (sent != null && !sent.equals(actual)) {
      throw new ProcNoMismatch(actual);
    }
  }
}
