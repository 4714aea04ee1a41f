package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kr.go.procurement.platform.http.Problem.FieldError;
import org.junit.jupiter.api.Test;

class ValidatorTest {

  private static final Pattern PROC_NO = Pattern.compile("[A-Za-z0-9_-]{1,50}");

  /** Parsed from text, so values have exactly the types Vert.x gives a request body. */
  private static Validator of(String json) {
    return Validator.of(new JsonObject(json));
  }

  private static List<FieldError> errors(Validator v) {
    return v.errors();
  }

  // ---- strings ----

  @Test
  void requiredStringReportsMissingNullAndBlank() {
    assertThat(errors(of("{}").requiredString("procTitle", 200)))
        .containsExactly(new FieldError("procTitle", "is required"));
    assertThat(errors(of("{\"procTitle\":null}").requiredString("procTitle", 200)))
        .containsExactly(new FieldError("procTitle", "is required"));
    assertThat(errors(of("{\"procTitle\":\"   \"}").requiredString("procTitle", 200)))
        .containsExactly(new FieldError("procTitle", "must not be blank"));
  }

  @Test
  void stringLengthCountsKoreanCharactersNotBytes() {
    String title200 = "가".repeat(200);
    assertThat(of("{\"t\":\"" + title200 + "\"}").requiredString("t", 200).hasErrors()).isFalse();
    assertThat(errors(of("{\"t\":\"" + title200 + "나\"}").requiredString("t", 200)))
        .containsExactly(new FieldError("t", "must be at most 200 characters long (it has 201)"));
  }

  @Test
  void supplementaryCharactersCountAsOneCharacter() {
    assertThat(of("{\"t\":\"🚚🚚\"}").requiredString("t", 2).hasErrors()).isFalse();
  }

  @Test
  void stringPatternMismatchGivesTheCallersMessage() {
    String message = "must be 1 to 50 letters, digits, '-' or '_'";
    assertThat(errors(of("{\"procNo\":\"p 01\"}").requiredString("procNo", 50, PROC_NO, message)))
        .containsExactly(new FieldError("procNo", message));
    assertThat(of("{\"procNo\":\"p-01_x\"}").requiredString("procNo", 50, PROC_NO, message).hasErrors()).isFalse();
    assertThat(errors(of("{\"procNo\":\"p 01\"}").optionalString("procNo", 50, PROC_NO, message)))
        .containsExactly(new FieldError("procNo", message));
  }

  @Test
  void optionalStringAllowsAbsentAndNull() {
    assertThat(of("{}").optionalString("procContents", 4000).hasErrors()).isFalse();
    assertThat(of("{\"procContents\":null}").optionalString("procContents", 4000).hasErrors()).isFalse();
    assertThat(errors(of("{\"procContents\":\"abc\"}").optionalString("procContents", 2)))
        .containsExactly(new FieldError("procContents", "must be at most 2 characters long (it has 3)"));
  }

  @Test
  void stringFieldRejectsObjectsAndArrays() {
    assertThat(errors(of("{\"a\":{\"x\":1},\"b\":[1]}").requiredString("a", 10).optionalString("b", 10)))
        .containsExactly(new FieldError("a", "must be text"), new FieldError("b", "must be text"));
  }

  @Test
  void stringFieldAcceptsScalarsAsTextLikeJackson() {
    JsonObject body = of("{\"companyNo\":123,\"flag\":true,\"d\":1.50}")
        .requiredString("companyNo", 10).requiredString("flag", 10).requiredString("d", 10).validate();
    assertThat(body.getString("companyNo")).isEqualTo("123");
    assertThat(body.getString("flag")).isEqualTo("true");
    assertThat(body.getString("d")).isEqualTo("1.5");
  }

  @Test
  void stringWithNulOrLoneSurrogateIsRejected() {
    assertThat(errors(of("{\"t\":\"a\\u0000b\"}").requiredString("t", 10)))
        .containsExactly(new FieldError("t", "contains characters that are not allowed"));
    assertThat(errors(of("{\"t\":\"a\\ud800b\"}").requiredString("t", 10)))
        .containsExactly(new FieldError("t", "contains characters that are not allowed"));
  }

  // ---- integers ----

  @Test
  void optionalIntegerAcceptsWholeNumbersInRange() {
    JsonObject body = of("{\"procPrice\":10000}").optionalInteger("procPrice", 0, Integer.MAX_VALUE).validate();
    assertThat(body.getLong("procPrice")).isEqualTo(10000L);
    assertThat(of("{}").optionalInteger("procPrice", 0, 10).hasErrors()).isFalse();
    assertThat(of("{\"procPrice\":null}").optionalInteger("procPrice", 0, 10).hasErrors()).isFalse();
  }

  @Test
  void optionalIntegerRejectsFractionsWrongTypesAndHugeNumbers() {
    Validator v = of("{\"a\":1.5,\"b\":\"abc\",\"c\":true,\"d\":1e400,\"e\":99999999999999999999,"
        + "\"f\":-1,\"g\":2147483648,\"h\":[1],\"i\":\"1e999999999\"}")
        .optionalInteger("a", 0, Integer.MAX_VALUE)
        .optionalInteger("b", 0, Integer.MAX_VALUE)
        .optionalInteger("c", 0, Integer.MAX_VALUE)
        .optionalInteger("d", 0, Integer.MAX_VALUE)
        .optionalInteger("e", 0, Integer.MAX_VALUE)
        .optionalInteger("f", 0, Integer.MAX_VALUE)
        .optionalInteger("g", 0, Integer.MAX_VALUE)
        .optionalInteger("h", 0, Integer.MAX_VALUE)
        .optionalInteger("i", 0, Integer.MAX_VALUE);
    String range = "must be a whole number between 0 and 2147483647";
    assertThat(v.errors()).containsExactly(
        new FieldError("a", "must be a whole number"),
        new FieldError("b", "must be a whole number"),
        new FieldError("c", "must be a whole number"),
        new FieldError("d", "must be a whole number"),
        new FieldError("e", range),
        new FieldError("f", range),
        new FieldError("g", range),
        new FieldError("h", "must be a whole number"),
        new FieldError("i", range));
  }

  @Test
  void integerAcceptsNumericTextAndIntegralDecimalsLikeJackson() {
    JsonObject body = of("{\"a\":\"100\",\"b\":2.0,\"c\":\" 7 \",\"d\":\"\"}")
        .optionalInteger("a", 0, 1000).optionalInteger("b", 0, 1000).optionalInteger("c", 0, 1000)
        .optionalInteger("d", 0, 1000).validate();
    assertThat(body.getValue("a")).isEqualTo(100L);
    assertThat(body.getValue("b")).isEqualTo(2L);
    assertThat(body.getValue("c")).isEqualTo(7L);
    assertThat(body.getValue("d")).isNull();
    assertThat(body.containsKey("d")).isTrue();
  }

  @Test
  void requiredIntegerReportsMissing() {
    assertThat(errors(of("{}").requiredInteger("n", 0, 9))).containsExactly(new FieldError("n", "is required"));
    assertThat(errors(of("{\"n\":-5}").requiredInteger("n", 0, Long.MAX_VALUE)))
        .containsExactly(new FieldError("n", "must be a whole number of at least 0"));
  }

  // ---- numbers ----

  @Test
  void optionalNumberAcceptsFiniteNumbersAboveTheMinimum() {
    JsonObject body = of("{\"procQty\":2.5,\"n\":3,\"s\":\"1.25\"}")
        .optionalNumber("procQty", 0).optionalNumber("n", 0).optionalNumber("s", 0).validate();
    assertThat(body.getDouble("procQty")).isEqualTo(2.5);
    assertThat(body.getDouble("n")).isEqualTo(3.0);
    assertThat(body.getDouble("s")).isEqualTo(1.25);
    assertThat(of("{}").optionalNumber("procQty", 0).hasErrors()).isFalse();
  }

  @Test
  void optionalNumberRejectsWrongTypesInfinityAndTheBoundary() {
    Validator v = of("{\"a\":true,\"b\":\"abc\",\"c\":1e400,\"d\":0,\"e\":-3,\"f\":\"NaN\",\"g\":\"Infinity\","
        + "\"h\":{},\"i\":\"1e999999999\"}")
        .optionalNumber("a", 0).optionalNumber("b", 0).optionalNumber("c", 0).optionalNumber("d", 0)
        .optionalNumber("e", 0).optionalNumber("f", 0).optionalNumber("g", 0).optionalNumber("h", 0)
        .optionalNumber("i", 0);
    assertThat(v.errors()).containsExactly(
        new FieldError("a", "must be a number"),
        new FieldError("b", "must be a number"),
        new FieldError("c", "must be a finite number"),
        new FieldError("d", "must be greater than 0"),
        new FieldError("e", "must be greater than 0"),
        new FieldError("f", "must be a number"),
        new FieldError("g", "must be a number"),
        new FieldError("h", "must be a number"),
        new FieldError("i", "must be a finite number"));
  }

  @Test
  void numberWithUpperBoundRejectsLargerValues() {
    assertThat(errors(of("{\"q\":11}").optionalNumber("q", 0, 10)))
        .containsExactly(new FieldError("q", "must be at most 10"));
    assertThat(errors(of("{}").requiredNumber("q", 0))).containsExactly(new FieldError("q", "is required"));
  }

  // ---- booleans ----

  @Test
  void booleansAcceptJsonBooleansAndTheTextTrueFalse() {
    JsonObject body = of("{\"a\":true,\"b\":\"false\",\"c\":\"TRUE\",\"d\":null}")
        .requiredBoolean("a").requiredBoolean("b").optionalBoolean("c").optionalBoolean("d").validate();
    assertThat(body.getBoolean("a")).isTrue();
    assertThat(body.getBoolean("b")).isFalse();
    assertThat(body.getBoolean("c")).isTrue();
    assertThat(body.getBoolean("d")).isNull();
  }

  @Test
  void booleansRejectOtherValues() {
    Validator v = of("{\"a\":1,\"b\":\"yes\",\"c\":[true]}")
        .optionalBoolean("a").optionalBoolean("b").optionalBoolean("c").requiredBoolean("missing");
    assertThat(v.errors()).containsExactly(
        new FieldError("a", "must be true or false"),
        new FieldError("b", "must be true or false"),
        new FieldError("c", "must be true or false"),
        new FieldError("missing", "is required"));
  }

  // ---- the whole ----

  @Test
  void validateThrowsOneProblemWithAllErrors() {
    Validator v = of("{\"procTitle\":\"\",\"procPrice\":\"abc\",\"procQty\":true}")
        .requiredString("procNo", 50, PROC_NO, "must be 1 to 50 letters, digits, '-' or '_'")
        .requiredString("procTitle", 200)
        .optionalInteger("procPrice", 0, Integer.MAX_VALUE)
        .optionalNumber("procQty", 0);
    assertThatThrownBy(v::validate).isInstanceOfSatisfying(Problem.class, p -> {
      assertThat(p.status()).isEqualTo(400);
      assertThat(p.title()).isEqualTo("Validation failed");
      assertThat(p.errors()).extracting(FieldError::field)
          .containsExactly("procNo", "procTitle", "procPrice", "procQty");
    });
  }

  @Test
  void unknownFieldsAreIgnoredByDefaultAndRejectedOnRequest() {
    assertThat(of("{\"procNo\":\"p01\",\"extra\":1}").requiredString("procNo", 50).hasErrors()).isFalse();
    assertThat(errors(of("{\"procNo\":\"p01\",\"extra\":1}").onlyFields(Set.of("procNo"))))
        .containsExactly(new FieldError("extra", "is not a known field"));
  }

  @Test
  void validateReturnsACopyAndLeavesTheInputAlone() {
    JsonObject input = new JsonObject("{\"flag\":\"true\",\"other\":\"x\"}");
    JsonObject out = Validator.of(input).optionalBoolean("flag").validate();
    assertThat(out.getBoolean("flag")).isTrue();
    assertThat(out.getString("other")).isEqualTo("x");
    assertThat(input.getValue("flag")).isEqualTo("true");
  }

  @Test
  void checkAddsACustomRuleError() {
    assertThat(errors(of("{}").check(false, "procNo", "must match the record")))
        .containsExactly(new FieldError("procNo", "must match the record"));
    assertThat(of("{}").check(true, "procNo", "x").hasErrors()).isFalse();
  }
}
