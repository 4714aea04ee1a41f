package kr.go.procurement.statusview.domain;

import java.time.Instant;
import kr.go.procurement.platform.domain.ProcurementStatus;

/** One step of a procurement's progress: the status and when it was first reached (the event's timestamp). */
public record HistoryEntry(ProcurementStatus status, Instant at) {
}
