package kr.go.procurement.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogFormatEncoderTest {

  private static String encode(String format) {
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    Logger logger = context.getLogger("kr.go.procurement.Test");
    LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "납품요구 {} published", null,
        new Object[] {"p01"});
    event.setKeyValuePairs(List.of(new KeyValuePair("eventId", "e-1"), new KeyValuePair("procNo", "p01")));
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void textFormatPrintsTheMessageAndKeyValuePairs() {
    String line = encode("text");
    assertThat(line).contains("INFO", "납품요구 p01 published", "eventId=\"e-1\"", "procNo=\"p01\"").endsWith("\n");
  }

  @Test
  void jsonFormatPrintsOneJsonObjectWithKeyValuePairs() {
    String line = encode("JSON");
    JsonObject json = new JsonObject(line.trim());
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("formattedMessage")).isEqualTo("납품요구 p01 published");
    assertThat(json.getJsonArray("kvpList").encode()).contains("\"eventId\":\"e-1\"", "\"procNo\":\"p01\"");
    assertThat(line.trim()).doesNotContain("\n");
  }

  @Test
  void unknownFormatFallsBackToText() {
    assertThat(encode("yaml")).startsWith(encode("text").substring(0, 2)).contains("eventId=\"e-1\"");
  }
}
