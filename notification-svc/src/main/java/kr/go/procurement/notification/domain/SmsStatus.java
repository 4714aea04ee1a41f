package kr.go.procurement.notification.domain;

/**
 * Where one SMS stands. {@code PENDING}: the intent is recorded and a send is under way (or was cut short by a
 * crash, which the reconciler finds); {@code SENT}: the provider accepted it; {@code FAILED}: the last attempt
 * failed, with the reason, and is retried later unless it never can succeed (bad number) or the attempts are used up.
 */
public enum SmsStatus {
  PENDING, SENT, FAILED
}
