package kr.go.procurement.request.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import kr.go.procurement.platform.domain.ProcurementStatus;
import kr.go.procurement.platform.domain.RuleViolation;
import kr.go.procurement.request.domain.ProcurementRequest.ResultDecision;
import org.junit.jupiter.api.Test;

class ProcurementRequestTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final Supplier REDBULL = new Supplier("c01", "레드불");

  private static ProcurementRequest posted() {
    return ProcurementRequest.register("p01", new RequestDetails("사무용 의자", null, 1000L, "조달청", 3.0), NOW)
        .withId(1);
  }

  private static ProcurementRequest inspectionRequested() {
    return posted().deliveryOrdered(REDBULL, NOW).inspectionRequested(REDBULL, "010-1234-1234", "검사 요청", NOW);
  }

  @Test
  void aRegisteredRequestIsPosted() {
    assertThat(posted().status()).isEqualTo(ProcurementStatus.POSTED);
    assertThat(posted().version()).isZero();
  }

  @Test
  void editingIsAllowedOnlyWhilePosted() {
    ProcurementRequest edited = posted().edit(new RequestDetails("책상", null, 5L, null, 1.0), NOW);
    assertThat(edited.details().procTitle()).isEqualTo("책상");
    assertThat(edited.version()).isEqualTo(1);
    ProcurementRequest ordered = posted().deliveryOrdered(REDBULL, NOW);
    assertThatThrownBy(() -> ordered.edit(new RequestDetails("x", null, null, null, null), NOW))
        .isInstanceOf(RuleViolation.class).hasMessageContaining("POSTED");
  }

  @Test
  void editingWithTheSameDetailsChangesNothingButIsStillRefusedOnceOrdered() {
    ProcurementRequest posted = posted();
    assertThat(posted.edit(new RequestDetails("사무용 의자", null, 1000L, "조달청", 3.0), NOW)).isSameAs(posted);
    ProcurementRequest ordered = posted.deliveryOrdered(REDBULL, NOW);
    assertThatThrownBy(() -> ordered.edit(ordered.details(), NOW))
        .isInstanceOf(RuleViolation.class).hasMessageContaining("POSTED");
  }

  @Test
  void inspectionResultNeedsAnInspectionRequest() {
    assertThatThrownBy(() -> posted().decideInspectionResult(true))
        .isInstanceOf(RuleViolation.class).hasMessageContaining("No inspection has been requested");
    assertThat(inspectionRequested().decideInspectionResult(true)).isEqualTo(ResultDecision.RECORD);
  }

  @Test
  void registeringTheSameResultAgainChangesNothingButAnotherResultIsRefused() {
    ProcurementRequest inspected = inspectionRequested().recordInspectionResult(true, null, NOW);
    assertThat(inspected.status()).isEqualTo(ProcurementStatus.INSPECTED);
    assertThat(inspected.decideInspectionResult(true)).isEqualTo(ResultDecision.ALREADY_RECORDED);
    assertThatThrownBy(() -> inspected.decideInspectionResult(false)).isInstanceOf(RuleViolation.class);
  }

  @Test
  void cancelAfterTheInspectionResultIsRefused() {
    ProcurementRequest inspected = inspectionRequested().recordInspectionResult(false, null, NOW);
    assertThatThrownBy(() -> inspected.cancel(NOW)).isInstanceOf(RuleViolation.class)
        .hasMessageContaining("cannot be cancelled");
  }

  @Test
  void cancellingTwiceIsHarmless() {
    ProcurementRequest cancelled = inspectionRequested().cancel(NOW);
    assertThat(cancelled.status()).isEqualTo(ProcurementStatus.CANCELED);
    assertThat(cancelled.cancel(NOW)).isSameAs(cancelled);
  }

  @Test
  void lateNewsDoesNotMoveACancelledRequest() {
    ProcurementRequest cancelled = posted().cancel(NOW);
    assertThat(cancelled.deliveryOrdered(REDBULL, NOW)).isSameAs(cancelled);
    assertThat(cancelled.inspectionRequested(REDBULL, "010", null, NOW)).isSameAs(cancelled);
    assertThatThrownBy(() -> cancelled.decideInspectionResult(true)).isInstanceOf(RuleViolation.class)
        .hasMessageContaining("cancelled");
  }
}
