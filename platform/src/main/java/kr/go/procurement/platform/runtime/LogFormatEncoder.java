package kr.go.procurement.platform.runtime;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The logback encoder of {@code logback.xml}: text (a pattern) or JSON (logback's {@link JsonEncoder}) depending on
 * {@code LOG_FORMAT}. One switching encoder instead of two appenders, because logback can only pick an appender by a
 * substituted name, and an unknown value would then silently drop every log line.
 *
 * <p>Structured values travel as SLF4J 2 key-value pairs ({@code log.atInfo().addKeyValue("eventId", id)}); the
 * text pattern shows them with {@code %kvp}, the JSON encoder under {@code "kvpList"}.
 */
public class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

  private String format = "text";
  private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg %kvp%n";
  private Encoder<ILoggingEvent> delegate;

  /** {@code text} or {@code json} (case-insensitive); anything else means text. */
  public void setFormat(String format) {
    this.format = format;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public boolean isJson() {
    return format != null && format.trim().toLowerCase(Locale.ROOT).equals("json");
  }

  @Override
  public void start() {
    if (isJson()) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(getContext());
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMDC(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      json.start();
      delegate = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(getContext());
      text.setPattern(pattern);
      text.setCharset(StandardCharsets.UTF_8);
      text.start();
      delegate = text;
    }
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
