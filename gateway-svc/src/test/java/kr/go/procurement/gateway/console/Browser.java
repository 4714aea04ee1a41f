package kr.go.procurement.gateway.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium (Debian's {@code /usr/bin/chromium}, driven through {@code /usr/bin/chromedriver}) with
 * a profile of its own, and the few steps the console tests repeat.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  static final Dimension DESKTOP = new Dimension(1280, 900);
  static final Dimension PHONE = new Dimension(390, 844);

  final ChromeDriver driver;
  private final Path profile;
  private final String base;

  /** Why the browser tests cannot run here, or null when they can. */
  static String unavailable() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      return "the web console's browser tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "); install them with `apt-get install -y chromium chromium-driver` "
          + "(.ci/run does)";
    }
    return null;
  }

  Browser(String base, String language) throws IOException {
    this.base = base;
    this.profile = Files.createTempDirectory("console-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Without the background-networking switches Chromium dials out at start, which this closed network refuses.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=" + DESKTOP.width + "," + DESKTOP.height,
        "--lang=" + language, "--accept-lang=" + language);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  /** Loads the console afresh, signed out (the console keeps its token in this tab's sessionStorage). */
  void open() {
    driver.get(base + "/");
    script("sessionStorage.clear();");
    driver.get(base + "/");
    waitFor(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
  }

  <T> T waitFor(Function<WebDriver, T> condition) {
    return waitFor(Duration.ofSeconds(20), condition);
  }

  <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
          .ignoring(StaleElementReferenceException.class)
          .ignoring(org.openqa.selenium.NoSuchElementException.class)
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      // What the page showed, so that a failure can be understood from the report alone.
      String shot;
      try {
        shot = screenshot("failure-" + System.currentTimeMillis()).toString();
      } catch (IOException | RuntimeException ignored) {
        shot = "(no screenshot)";
      }
      Object page = script("return document.body.innerText");
      throw new AssertionError("timed out after " + timeout + "; screenshot " + shot + "; the page said:\n" + page, e);
    }
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The element once it is displayed. */
  WebElement visible(String css) {
    return waitFor(d -> {
      WebElement e = d.findElement(By.cssSelector(css));
      return e.isDisplayed() ? e : null;
    });
  }

  /**
   * Clicks once the element is displayed, through the DOM: a native click at coordinates can miss when the page
   * moves under it (an inline error appearing as the previous field loses focus).
   */
  void click(String css) {
    WebElement e = visible(css);
    script("arguments[0].scrollIntoView({block: 'center'});", e);
    script("arguments[0].focus(); arguments[0].click();", e);
  }

  void type(String css, String text) {
    WebElement e = visible(css);
    e.clear();
    e.sendKeys(text);
  }

  String text(String css) {
    return find(css).getText();
  }

  /** Waits until the element's text contains {@code part}; returns the text. */
  String awaitText(String css, String part) {
    return waitFor(d -> {
      String text = d.findElement(By.cssSelector(css)).getText();
      return text.contains(part) ? text : null;
    });
  }

  /** One click on a demo user's button; waits until the board is there and its live stream connected. */
  void signInAsDemo(String key) {
    click("button[data-demo='" + key + "']");
    awaitSignedIn();
  }

  void awaitSignedIn() {
    visible("#board");
    waitFor(d -> "on".equals(d.findElement(By.id("stream-state")).getAttribute("data-state")));
  }

  void signOut() {
    click("#sign-out");
    visible("#signin");
  }

  /** The status of the board's row for {@code procNo}, or null while it is not on the page. */
  String rowStatus(String procNo) {
    List<WebElement> badges = findAll("#rows tr[data-procno='" + procNo + "'] .badge");
    return badges.isEmpty() ? null : badges.get(0).getAttribute("data-status");
  }

  void awaitRowStatus(String procNo, String status) {
    waitFor(Duration.ofSeconds(30), d -> status.equals(rowStatus(procNo)));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void resize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Saves a PNG under target/console-screenshots/ and returns its path. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
