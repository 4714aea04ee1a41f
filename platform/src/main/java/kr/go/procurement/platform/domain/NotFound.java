package kr.go.procurement.platform.domain;

/** The command names a record that does not exist (answered 404). */
public class NotFound extends RuntimeException {

  public NotFound(String message) {
    super(message, null, false, false);
  }
}
