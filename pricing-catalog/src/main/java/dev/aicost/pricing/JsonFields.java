package dev.aicost.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the fields of one JSON object of a catalog, recording an error with its path for every field that is missing,
 * of the wrong type, or out of range, and — on {@link #finish()} — for every field nobody asked for.
 */
final class JsonFields {

  private final JsonNode node;
  private final String path;
  private final Errors errors;
  private final Set<String> allowed = new LinkedHashSet<>();

  private JsonFields(JsonNode node, String path, Errors errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  /** Wraps {@code node}, or records an error and returns {@code null} when it is not an object. */
  static JsonFields of(JsonNode node, String path, Errors errors) {
    if (node == null || !node.isObject()) {
      errors.add(path, "must be an object, was " + describe(node));
      return null;
    }
    return new JsonFields(node, path, errors);
  }

  String path() {
    return path;
  }

  String path(String field) {
    return path.isEmpty() ? field : path + '.' + field;
  }

  Errors errors() {
    return errors;
  }

  /** Marks {@code field} as known without reading it. */
  JsonFields allow(String... fields) {
    for (String f : fields) {
      allowed.add(f);
    }
    return this;
  }

  boolean has(String field) {
    allowed.add(field);
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  JsonNode raw(String field) {
    allowed.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  String string(String field, boolean required) {
    JsonNode v = raw(field);
    if (v == null) {
      if (required) {
        errors.add(path(field), "required");
      }
      return null;
    }
    if (!v.isTextual()) {
      errors.add(path(field), "must be a string, was " + describe(v));
      return null;
    }
    String s = v.textValue();
    if (s.trim().isEmpty()) {
      errors.add(path(field), "must not be blank");
      return null;
    }
    return s;
  }

  LocalDate date(String field, boolean required) {
    JsonNode v = raw(field);
    if (v == null) {
      if (required) {
        errors.add(path(field), "required (an ISO date, YYYY-MM-DD)");
      }
      return null;
    }
    return dateValue(v, path(field));
  }

  LocalDate dateValue(JsonNode v, String at) {
    if (!v.isTextual()) {
      errors.add(at, "must be an ISO date (YYYY-MM-DD) string, was " + describe(v));
      return null;
    }
    LocalDate d = isoDate(v.textValue());
    if (d == null) {
      errors.add(at, "must be an ISO date (YYYY-MM-DD), was '" + v.textValue() + "'");
    }
    return d;
  }

  /**
   * {@code YYYY-MM-DD} as {@code DateTimeFormatter.ISO_LOCAL_DATE} reads it, or {@code null}; unlike the formatter,
   * only unsigned four-digit years (no {@code -1818-09-06} or {@code +12025-01-01}).
   * By hand because the formatter's first use loads and initializes ~100 java.time/locale classes, a noticeable part
   * of reading the bundled catalog at start-up (docs/performance.md#start-up).
   */
  static LocalDate isoDate(String s) {
    if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
      return null;
    }
    if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return LocalDate.of(year, month, day);
  }

  /** The decimal value of {@code s[from, to)}, or -1 unless every character is an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** {@code -?[0-9]+(\.[0-9]+)?}, without compiling that expression for every price read. */
  static boolean isPlainDecimal(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    int intDigits = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      intDigits++;
    }
    if (intDigits == 0) {
      return false;
    }
    if (i == s.length()) {
      return true;
    }
    if (s.charAt(i) != '.') {
      return false;
    }
    int fractionDigits = 0;
    for (i++; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
      fractionDigits++;
    }
    return fractionDigits > 0;
  }

  Long integer(String field, boolean required, long min) {
    JsonNode v = raw(field);
    if (v == null) {
      if (required) {
        errors.add(path(field), "required");
      }
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      errors.add(path(field), "must be an integer, was " + describe(v));
      return null;
    }
    long l = v.longValue();
    if (l < min) {
      errors.add(path(field), "must be >= " + min + ", was " + l);
      return null;
    }
    return l;
  }

  /**
   * A decimal given as a string ({@code "2.50"}, the canonical form) or a JSON number, read exactly. Checks
   * {@code min <= value <= max} and at most {@code maxScale} decimal places.
   */
  BigDecimal decimal(String field, boolean required, BigDecimal min, boolean minExclusive, BigDecimal max, int maxScale,
      String scaleHint) {
    JsonNode v = raw(field);
    if (v == null) {
      if (required) {
        errors.add(path(field), "required");
      }
      return null;
    }
    return decimalValue(v, path(field), min, minExclusive, max, maxScale, scaleHint);
  }

  BigDecimal decimalValue(JsonNode v, String at, BigDecimal min, boolean minExclusive, BigDecimal max, int maxScale,
      String scaleHint) {
    BigDecimal d;
    if (v.isTextual()) {
      String s = v.textValue().trim();
      if (!isPlainDecimal(s)) {
        errors.add(at, "must be a decimal number such as \"2.50\", was \"" + v.textValue() + '"');
        return null;
      }
      d = new BigDecimal(s);
    } else if (v.isNumber()) {
      d = v.decimalValue();
    } else {
      errors.add(at, "must be a decimal string such as \"2.50\", was " + describe(v));
      return null;
    }
    int c = d.compareTo(min);
    if (minExclusive ? c <= 0 : c < 0) {
      errors.add(at, "must be " + (minExclusive ? "> " : ">= ") + min.toPlainString() + ", was " + d.toPlainString());
      return null;
    }
    if (d.compareTo(max) > 0) {
      errors.add(at, "must be <= " + max.toPlainString() + ", was " + d.toPlainString());
      return null;
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > maxScale) {
      errors.add(at, "at most " + maxScale + " decimal places allowed, was " + d.toPlainString() + scaleHint);
      return null;
    }
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** An array field's elements, or {@code null} (error recorded when required or not an array). */
  List<JsonNode> array(String field, boolean required) {
    JsonNode v = raw(field);
    if (v == null) {
      if (required) {
        errors.add(path(field), "required (an array)");
      }
      return null;
    }
    if (!v.isArray()) {
      errors.add(path(field), "must be an array, was " + describe(v));
      return null;
    }
    List<JsonNode> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      out.add(e);
    }
    return out;
  }

  /** An array of non-blank strings, or {@code null}. */
  List<String> strings(String field) {
    List<JsonNode> arr = array(field, false);
    if (arr == null) {
      return null;
    }
    List<String> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode e = arr.get(i);
      String at = path(field) + '[' + i + ']';
      if (!e.isTextual() || e.textValue().trim().isEmpty()) {
        errors.add(at, "must be a non-blank string, was " + describe(e));
        continue;
      }
      out.add(e.textValue());
    }
    return out;
  }

  /** Records an error for each field that was not read or allowed. */
  void finish() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String suggestion = closest(name, allowed);
        errors.add(
            path(name),
            "unknown field" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                + "; allowed here: " + String.join(", ", allowed));
      }
    }
  }

  static String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = Levenshtein.distance(lower, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
  }

  static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "the string \"" + v.textValue() + '"';
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    if (v.isBoolean()) {
      return v.asText();
    }
    if (v.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
