package kr.go.procurement.platform.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Safe access to a JSON request body. {@code ctx.body().asJsonObject()} throws a {@link DecodeException} on bad
 * JSON and a {@link ClassCastException} on an array or a scalar; here every such body is a 400 problem instead.
 */
public final class JsonBody {

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
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw Problem.badRequest("The request body is not valid JSON");
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw Problem.badRequest("The request body must be a JSON object, not " + describe(value));
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
