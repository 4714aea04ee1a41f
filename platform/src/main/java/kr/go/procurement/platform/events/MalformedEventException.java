package kr.go.procurement.platform.events;

/** An event that can never be applied, however often it is retried: it goes straight to the dead-letter topic. */
public class MalformedEventException extends IllegalArgumentException {

  public MalformedEventException(String message) {
    super(message);
  }
}
