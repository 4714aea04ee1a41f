package kr.go.procurement.platform.domain;

/**
 * A command that the current state forbids (answered 409 Conflict). The message is shown to the person who sent the
 * command, so it says in plain words what is wrong.
 */
public class RuleViolation extends RuntimeException {

  public RuleViolation(String message) {
    super(message, null, false, false);
  }
}
