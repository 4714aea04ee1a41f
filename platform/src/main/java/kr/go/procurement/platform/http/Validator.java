package kr.go.procurement.platform.http;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kr.go.procurement.platform.http.Problem.FieldError;

/**
 * Fluent validation of a JSON request body that collects every error before answering, so a client fixes all its
 * mistakes in one round trip:
 *
 * <pre>{@code
 * JsonObject body = Validator.of(JsonBody.object(ctx))
 *     .requiredString("procNo", 50, PROC_NO, "must be 1 to 50 letters, digits, '-' or '_'")
 *     .requiredString("procTitle", 200)
 *     .optionalInteger("procPrice", 0, Integer.MAX_VALUE)
 *     .optionalNumber("procQty", 0)
 *     .validate();            // throws Problem.validation(errors) when anything is wrong
 * body.getLong("procPrice");  // safe: values are normalised to the declared type
 * }</pre>
 *
 * <p>Wrong JSON types become field errors, never a {@link ClassCastException}. Like Spring Data REST (Jackson), which
 * the original system used, scalar text is coerced where Jackson coerces it: {@code "true"}/{@code "false"} for a
 * boolean, numeric text such as {@code "100"} for a number, a number or boolean for a text field, and {@code ""} for
 * an optional number or boolean means null. HTTPie's {@code inspectionSuccFlag=true} sends the string "true", and
 * the original's scripts must keep working. {@link #validate()} returns a copy of the body in which every checked
 * field holds its declared type (Long, Double, Boolean, String), so {@code getLong}/{@code getBoolean} are safe.
 *
 * <p>Lengths count characters (Unicode code points), not bytes or UTF-16 units: 200 Korean syllables fit a
 * 200-character field. Text containing NUL or unpaired surrogates is rejected (PostgreSQL cannot store it, and it
 * must never turn into a 500). Unknown fields are ignored, as Spring Data REST does, unless {@link #onlyFields} is
 * called.
 */
public final class Validator {

  /** Longer numeric text is refused outright: no real quantity needs it, and it bounds the parsing work. */
  private static final int MAX_NUMBER_TEXT = 100;

  private final JsonObject source;
  private final JsonObject normalized;
  private final List<FieldError> errors = new ArrayList<>();

  private Validator(JsonObject body) {
    this.source = body == null ? new JsonObject() : body;
    this.normalized = this.source.copy();
  }

  public static Validator of(JsonObject body) {
    return new Validator(body);
  }

  // ---- text ----

  public Validator requiredString(String field, int maxLength) {
    return string(field, true, maxLength, null, null);
  }

  public Validator requiredString(String field, int maxLength, Pattern pattern, String patternMessage) {
    return string(field, true, maxLength, pattern, patternMessage);
  }

  public Validator optionalString(String field, int maxLength) {
    return string(field, false, maxLength, null, null);
  }

  public Validator optionalString(String field, int maxLength, Pattern pattern, String patternMessage) {
    return string(field, false, maxLength, pattern, patternMessage);
  }

  private Validator string(String field, boolean required, int maxLength, Pattern pattern, String patternMessage) {
    Object value = source.getValue(field);
    if (value == null) {
      if (required) {
        error(field, "is required");
      }
      return this;
    }
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof BigInteger) {
      text = value.toString();
    } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      text = new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    } else {
      error(field, "must be text");
      return this;
    }
    if (required && text.isBlank()) {
      error(field, "must not be blank");
      return this;
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxLength) {
      error(field, "must be at most " + maxLength + " characters long (it has " + length + ")");
      return this;
    }
    if (!storable(text)) {
      error(field, "contains characters that are not allowed");
      return this;
    }
    if (pattern != null && !pattern.matcher(text).matches()) {
      error(field, patternMessage == null ? "has an invalid format" : patternMessage);
      return this;
    }
    normalized.put(field, text);
    return this;
  }

  /** No NUL (PostgreSQL rejects it in text) and no unpaired surrogate (not encodable as UTF-8). */
  private static boolean storable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // ---- whole numbers ----

  public Validator requiredInteger(String field, long min, long max) {
    return integer(field, true, min, max);
  }

  /** A whole number in [min, max]; 1.5, 1e400, "abc", true and numbers beyond the range are errors. */
  public Validator optionalInteger(String field, long min, long max) {
    return integer(field, false, min, max);
  }

  private Validator integer(String field, boolean required, long min, long max) {
    Object value = source.getValue(field);
    if (isAbsent(value)) {
      return absent(field, required);
    }
    BigDecimal number = toDecimal(value);
    if (number == null || number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
      error(field, "must be a whole number");
      return this;
    }
    if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      error(field, rangeMessage(min, max));
      return this;
    }
    normalized.put(field, number.longValueExact());
    return this;
  }

  private static String rangeMessage(long min, long max) {
    if (max == Long.MAX_VALUE) {
      return "must be a whole number of at least " + min;
    }
    return "must be a whole number between " + min + " and " + max;
  }

  // ---- numbers ----

  public Validator requiredNumber(String field, double exclusiveMin) {
    return number(field, true, exclusiveMin, Double.MAX_VALUE);
  }

  /** A finite number greater than {@code exclusiveMin}; "abc", true, 1e400 and NaN are errors. */
  public Validator optionalNumber(String field, double exclusiveMin) {
    return number(field, false, exclusiveMin, Double.MAX_VALUE);
  }

  public Validator optionalNumber(String field, double exclusiveMin, double inclusiveMax) {
    return number(field, false, exclusiveMin, inclusiveMax);
  }

  private Validator number(String field, boolean required, double exclusiveMin, double inclusiveMax) {
    Object value = source.getValue(field);
    if (isAbsent(value)) {
      return absent(field, required);
    }
    BigDecimal number = toDecimal(value);
    double d = number == null ? Double.NaN : number.doubleValue();
    if (number == null) {
      error(field, value instanceof Double || value instanceof Float ? "must be a finite number" : "must be a number");
      return this;
    }
    if (!Double.isFinite(d)) {
      error(field, "must be a finite number");
      return this;
    }
    if (!(d > exclusiveMin)) {
      error(field, "must be greater than " + format(exclusiveMin));
      return this;
    }
    if (d > inclusiveMax) {
      error(field, "must be at most " + format(inclusiveMax));
      return this;
    }
    normalized.put(field, d);
    return this;
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** The exact value of a JSON number or numeric text, or null when it is neither (or not finite). */
  private static BigDecimal toDecimal(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? new BigDecimal(value.toString()) : null;
    }
    if (value instanceof String s) {
      String text = s.trim();
      if (text.isEmpty() || text.length() > MAX_NUMBER_TEXT) {
        return null;
      }
      try {
        // BigDecimal refuses "NaN" and "Infinity", which Double.parseDouble would accept.
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  // ---- booleans ----

  public Validator requiredBoolean(String field) {
    return bool(field, true);
  }

  /** true, false or null (absent); the text "true"/"false" is accepted as Spring did. */
  public Validator optionalBoolean(String field) {
    return bool(field, false);
  }

  private Validator bool(String field, boolean required) {
    Object value = source.getValue(field);
    if (isAbsent(value)) {
      return absent(field, required);
    }
    if (value instanceof Boolean) {
      return this;
    }
    if (value instanceof String s) {
      String text = s.trim();
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        normalized.put(field, Boolean.parseBoolean(text));
        return this;
      }
    }
    error(field, "must be true or false");
    return this;
  }

  // ---- shared ----

  /** Absent, JSON null, or the empty text (which Jackson reads as null for numbers and booleans). */
  private static boolean isAbsent(Object value) {
    return value == null || value instanceof String s && s.isEmpty();
  }

  private Validator absent(String field, boolean required) {
    if (required) {
      error(field, "is required");
    } else if (source.containsKey(field)) {
      normalized.putNull(field);
    }
    return this;
  }

  /** Rejects fields outside {@code allowed} (by default unknown fields are ignored, as Spring Data REST does). */
  public Validator onlyFields(Set<String> allowed) {
    for (String field : source.fieldNames()) {
      if (!allowed.contains(field)) {
        error(field, "is not a known field");
      }
    }
    return this;
  }

  /** Adds {@code message} for {@code field} unless {@code condition} holds (a rule the typed checks cannot say). */
  public Validator check(boolean condition, String field, String message) {
    if (!condition) {
      error(field, message);
    }
    return this;
  }

  public Validator error(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /**
   * @return a copy of the body with the checked fields normalised to their declared types
   * @throws Problem {@link Problem#validation} listing every error, when there is any
   */
  public JsonObject validate() {
    if (!errors.isEmpty()) {
      throw Problem.validation(errors);
    }
    return normalized;
  }
}
