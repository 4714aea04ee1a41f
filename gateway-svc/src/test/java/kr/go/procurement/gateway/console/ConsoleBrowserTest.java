package kr.go.procurement.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kr.go.procurement.gateway.GatewaySystem;
import kr.go.procurement.gateway.TestTokens;
import kr.go.procurement.gateway.Workflow;
import kr.go.procurement.testsupport.RealInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web console end to end, in real headless Chromium, against the gateway in front of the real services (real
 * PostgreSQL, Kafka and MongoDB). Everything a user does here goes through the console's screens only; the
 * services are called directly only to prepare the 503 scenario.
 */
@RealInfra
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  private static GatewaySystem system;
  private static String base;
  /** The officer's browser: signs in and out as agency, pps, viewer, admin. */
  private static Browser officer;
  /** Supplier c01's browser, kept open: its board must follow the workflow live. */
  private static Browser supplier;

  @BeforeAll
  static void start() throws Exception {
    if (Browser.unavailable() != null) {
      return; // each test reports itself skipped (an assumption here would hide them from the count)
    }
    system = GatewaySystem.shared();
    base = "http://localhost:" + system.gateway.port();
    officer = new Browser(base, "ko-KR");
    supplier = new Browser(base, "ko-KR");
  }

  @BeforeEach
  void needsABrowser() {
    String missing = Browser.unavailable();
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
  }

  @AfterAll
  static void stop() {
    if (officer != null) {
      officer.close();
    }
    if (supplier != null) {
      supplier.close();
    }
  }

  @Test
  @Order(1)
  void signsInAsEachRoleByDemoButtonOrPastedToken() {
    officer.open();
    assertThat(officer.text("h1")).isEqualTo("조달 납품 콘솔");
    Map<String, String> roleLabels = Map.of("agency", "수요기관 담당자", "pps", "조달청 담당자",
        "supplier-c01", "조달업체 담당자", "viewer", "조회자", "admin", "관리자");
    for (var entry : roleLabels.entrySet()) {
      officer.signInAsDemo(entry.getKey());
      assertThat(officer.text("#who-roles")).isEqualTo(entry.getValue());
      boolean registers = entry.getKey().equals("agency") || entry.getKey().equals("admin");
      assertThat(officer.find("#register").isDisplayed()).as(entry.getKey() + " sees the register form")
          .isEqualTo(registers);
      officer.signOut();
    }

    // A pasted token; a bad one is refused with a readable message.
    officer.type("#token", "not-a-token");
    officer.click("#token-form button[type=submit]");
    assertThat(officer.awaitText("#token-error", "토큰")).contains("형식");
    officer.type("#token", TestTokens.hs256(TestTokens.claims("forger", null, "admin"), "another-secret-0123456789-abcdefghijkl"));
    officer.click("#token-form button[type=submit]");
    officer.awaitText("#token-error", "거부");
    officer.type("#token", TestTokens.token("supplier-c02", "c02", "supplier"));
    officer.click("#token-form button[type=submit]");
    officer.awaitSignedIn();
    assertThat(officer.text("#who-name")).isEqualTo("supplier-c02 (c02)");

    // English on request, and back.
    officer.click("#lang");
    assertThat(officer.awaitText("#board-title", "Delivery status board")).isNotEmpty();
    assertThat(officer.text("#who-roles")).isEqualTo("Supplier officer");
    assertThat(officer.find("html").getAttribute("lang")).isEqualTo("en");
    officer.click("#lang");
    officer.awaitText("#board-title", "납품현황조회");
    officer.signOut();
  }

  @Test
  @Order(2)
  void validationErrorsAreShownInlineBeforeAnythingIsSent() {
    officer.open();
    officer.signInAsDemo("agency");
    officer.type("#f-procNo", "bad no!");
    officer.type("#f-procQty", "0");
    officer.click("#register-form button[type=submit]");
    assertThat(officer.awaitText("#e-procNo", "영문")).contains("1~50");
    assertThat(officer.awaitText("#e-procTitle", "필수")).isEqualTo("필수 입력입니다.");
    assertThat(officer.text("#e-procQty")).contains("0보다 큰");
    assertThat(officer.find("#f-procNo").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(officer.driver.switchTo().activeElement().getAttribute("id")).as("focus on the first error")
        .isEqualTo("f-procNo");

    // Fixed: the errors go, and the server's own refusal (a duplicate procNo, 409) is shown too.
    String procNo = uniqueProcNo("dup");
    register(officer, procNo, "사무용 책상");
    officer.awaitText("#toast", procNo);
    officer.type("#f-procNo", procNo);
    officer.type("#f-procTitle", "같은 번호");
    officer.find("#f-procTitle").sendKeys(Keys.ENTER); // the keyboard submits the form too
    officer.awaitText("#notice", "충돌");
    assertThat(officer.find("#f-procNo").getAttribute("aria-invalid")).isEqualTo("true");
    officer.signOut();
  }

  @Test
  @Order(3)
  void oneProcurementThroughTheWholeWorkflowWithTheSupplierBoardFollowingLive() throws Exception {
    String procNo = uniqueProcNo("wf");
    supplier.open();
    supplier.signInAsDemo("supplier-c01");
    supplier.script("window.notReloaded = true;");

    // 수요기관: registers; the row appears on its board by the live stream.
    officer.open();
    officer.signInAsDemo("agency");
    register(officer, procNo, "사무용 의자");
    officer.awaitText("#toast", procNo);
    officer.awaitRowStatus(procNo, "POSTED");
    assertThat(supplier.rowStatus(procNo)).as("no supplier yet: c01 does not see it").isNull();
    officer.signOut();

    // 조달청: the delivery order to c01.
    officer.signInAsDemo("pps");
    officer.awaitRowStatus(procNo, "POSTED");
    openDetail(officer, procNo);
    officer.type("#order-form-companyNo", "c01");
    officer.type("#order-form-companyNm", "레드불");
    submitUntilAccepted(officer, "#order-form", procNo);
    officer.awaitRowStatus(procNo, "DELIVERY_REQUESTED");
    officer.signOut();

    // 조달업체 c01: its board shows the order without a reload; it requests inspection.
    supplier.awaitRowStatus(procNo, "DELIVERY_REQUESTED");
    openDetail(supplier, procNo);
    supplier.type("#inspect-form-companyPhoneNo", "010-1234-1234");
    supplier.type("#inspect-form-inspectionContents", "납품 완료");
    submitUntilAccepted(supplier, "#inspect-form", procNo);
    supplier.awaitRowStatus(procNo, "INSPECTION_REQUESTED");

    // 수요기관: the inspection result.
    officer.signInAsDemo("agency");
    officer.awaitRowStatus(procNo, "INSPECTION_REQUESTED");
    openDetail(officer, procNo);
    officer.click("#result-form-inspectionSuccFlag-true");
    submitUntilAccepted(officer, "#result-form", procNo);
    officer.awaitRowStatus(procNo, "INSPECTED");

    // The supplier's board and open detail panel followed every step live, without a reload.
    supplier.awaitRowStatus(procNo, "INSPECTED");
    supplier.waitFor(d -> d.findElements(By.cssSelector("#timeline li")).size() == 4);
    List<String> steps = supplier.findAll("#timeline li").stream().map(li -> li.getAttribute("data-status")).toList();
    assertThat(steps).containsExactly("POSTED", "DELIVERY_REQUESTED", "INSPECTION_REQUESTED", "INSPECTED");
    assertThat(supplier.text("#detail-fields")).contains("합격");
    assertThat(supplier.script("return window.notReloaded === true")).isEqualTo(true);
    assertThat(supplier.text("#live")).contains(procNo);

    // Filters: by status, by procNo; and the board at desktop and phone sizes.
    supplier.click("#detail-close");
    supplier.type("#q-procNo", procNo);
    supplier.click("#filters button[type=submit]");
    supplier.waitFor(d -> d.findElements(By.cssSelector("#rows tbody tr")).size() == 1);
    new org.openqa.selenium.support.ui.Select(supplier.find("#q-status")).selectByValue("CANCELED");
    supplier.click("#filters button[type=submit]");
    supplier.waitFor(d -> d.findElements(By.cssSelector("#rows tbody tr")).isEmpty());
    supplier.visible("#empty");
    supplier.click("#filters button[type=reset]");
    supplier.awaitRowStatus(procNo, "INSPECTED");

    openDetail(officer, procNo);
    officer.screenshot("status-board-agency-desktop");
    // The whole console at once (header, board, detail), as the README shows it.
    officer.resize(new org.openqa.selenium.Dimension(1280, 1500));
    officer.script("document.activeElement.blur(); window.scrollTo(0, 0);");
    officer.screenshot("console-desktop");
    officer.resize(Browser.DESKTOP);
    openDetail(supplier, procNo);
    supplier.script("document.activeElement.blur(); window.scrollTo(0, 0);");
    supplier.screenshot("status-board-supplier-desktop");
    supplier.resize(Browser.PHONE);
    supplier.script("window.scrollTo(0, 0);");
    assertThat((Long) supplier.script("return document.documentElement.scrollWidth"))
        .as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.width);
    supplier.screenshot("status-board-supplier-phone");
    supplier.resize(Browser.DESKTOP);
    officer.signOut();
  }

  @Test
  @Order(4)
  void theInspectionResultSays503AndWhenToRetryWhileManagementIsDown() throws Exception {
    // Prepared on the services directly: a procurement waiting for its inspection result.
    String procNo = uniqueProcNo("down");
    Workflow workflow = new Workflow(system);
    List<Long> ids = workflow.register(List.of(procNo));
    workflow.awaitPosted(ids);
    workflow.orderAndAwait(ids, List.of(procNo), "c01");
    workflow.requestInspectionAndAwait(ids, List.of(procNo));

    officer.open();
    officer.signInAsDemo("agency");
    officer.awaitRowStatus(procNo, "INSPECTION_REQUESTED");
    openDetail(officer, procNo);
    officer.click("#result-form-inspectionSuccFlag-false");
    system.stopManagement();
    try {
      officer.click("#result-form button[type=submit]");
      String message = officer.waitFor(d -> {
        String text = d.findElement(By.cssSelector("#result-form .form-error")).getText();
        return text.isEmpty() ? null : text;
      });
      assertThat(message).contains("일시적으로 사용할 수 없습니다").containsPattern("\\d+초 후\\(.+\\) 다시 시도하세요");
      assertThat(officer.rowStatus(procNo)).as("nothing changed").isEqualTo("INSPECTION_REQUESTED");
      officer.screenshot("inspection-result-503");
    } finally {
      system.startManagement();
    }
    // Once management is back the same click goes through.
    submitUntilAccepted(officer, "#result-form", procNo);
    officer.awaitRowStatus(procNo, "INSPECTED");
    officer.signOut();
  }

  private static String uniqueProcNo(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime() % 10_000_000_000L, 36);
  }

  private static void register(Browser b, String procNo, String title) {
    b.type("#f-procNo", procNo);
    b.type("#f-procTitle", title);
    b.type("#f-procAgency", "서울시청");
    b.type("#f-procPrice", "1,200,000");
    b.type("#f-procQty", "12");
    b.click("#register-form button[type=submit]");
  }

  private static void openDetail(Browser b, String procNo) {
    b.click("#rows tr[data-procno='" + procNo + "'] button");
    b.awaitText("#detail-title", procNo);
  }

  /**
   * Submits an action form until it is accepted: each service learns of the previous step by its own consumer, so
   * the board may show a step a moment before the service that acts next has it (404 "still being processed").
   */
  private static void submitUntilAccepted(Browser b, String form, String procNo) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      b.click(form + " button[type=submit]");
      String outcome = b.waitFor(Duration.ofSeconds(10), d -> {
        List<WebElement> forms = d.findElements(By.cssSelector(form));
        if (forms.isEmpty()) {
          return "gone"; // the status moved on and the form was replaced
        }
        String error = forms.get(0).findElement(By.cssSelector(".form-error")).getText();
        if (!error.isEmpty()) {
          return "error: " + error;
        }
        String toast = d.findElement(By.id("toast")).getText();
        return toast.contains(procNo) ? "ok" : null;
      });
      if (!outcome.startsWith("error") || !outcome.contains("찾을 수 없습니다")
          || System.currentTimeMillis() > deadline) {
        assertThat(outcome).as(form).doesNotStartWith("error");
        return;
      }
      Workflow.sleep(300);
    }
  }
}
