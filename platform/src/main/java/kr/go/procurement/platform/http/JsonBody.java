package kr.go.procurement.platform.http;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Safe access to a JSON request body. {@code ctx.body().asJsonObject()} throws a {@link DecodeException} on bad
 * JSON and a {@link ClassCastException} on an array or a scalar; here every such body is a 400 problem instead.
 *
 * <p>Strict where Vert.x's own decoding is lenient: the body must be well-formed UTF-8 (no stray, overlong or
 * surrogate byte sequences, which would otherwise reach the handler as U+FFFD or worse) and standard JSON (no
 * block or line comments, which Vert.x's codec allows). Everything else is decoded as
 * {@link io.vertx.core.json.Json#decodeValue} does: the same parser limits (nesting depth, number length), numbers
 * as Integer, Long, BigInteger or Double, the last of duplicate keys wins, a leading UTF-8 byte-order mark is
 * skipped. Coercing text such as {@code "true"} to the declared type is the {@link Validator}'s job.
 */
public final class JsonBody {

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private JsonBody() {
  }

  /**
   * The body as a JSON object.
   *
   * @throws Problem 400 when the body is missing, is not JSON, or is JSON but not an object
   */
  public static JsonObject object(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || isBlank(buffer)) {
      throw Problem.badRequest("The request body is missing; send a JSON object");
    }
    String text = strictUtf8(buffer);
    Object value;
    try {
      // Vert.x's parser factory (its read constraints), with the comments it enables turned off for this parser.
      JsonParser parser = JacksonCodec.createParser(text);
      parser.disable(JsonParser.Feature.ALLOW_COMMENTS);
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw Problem.badRequest("The request body is not valid JSON");
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw Problem.badRequest("The request body must be a JSON object, not " + describe(value));
  }

  /**
   * The body decoded as UTF-8, refusing malformed input instead of replacing it (a decoder per call: they are not
   * thread-safe, and one is cheap next to the parsing).
   */
  private static String strictUtf8(Buffer buffer) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buffer.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw Problem.badRequest("The request body is not valid UTF-8");
    }
    // Jackson skips a UTF-8 byte-order mark in bytes, not in text: keep accepting it.
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  private static boolean isBlank(Buffer buffer) {
    for (int i = 0; i < buffer.length(); i++) {
      byte b = buffer.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
