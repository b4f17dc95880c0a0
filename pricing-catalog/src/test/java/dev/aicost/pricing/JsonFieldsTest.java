package dev.aicost.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written date and decimal checks accept what the formatter and the expression they replace accepted, except
 * signed years (a price valid from year -1818 is a typo, not a date).
 */
class JsonFieldsTest {

  @Test
  void isoDateAgreesWithTheIsoFormatter() {
    List<String> cases = new ArrayList<>(List.of(
        "2025-01-01", "2024-02-29", "2023-02-29", "2025-04-31", "2025-12-31", "2025-13-01", "2025-00-10", "2025-01-00",
        "0000-01-01", "9999-12-31", "2025-1-01", "2025/01/01", "2025-01-01 ", " 2025-01-01", "20250101", "", "abcd-ef-gh",
        "2025-01-0a", "-025-01-01", "+2025-01-01", "2025-02-28", "2100-02-29", "2000-02-29", "2025-06-30", "2025-06-31"));
    Random r = new Random(42);
    String alphabet = "0123456789-+ /a";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      if (r.nextBoolean()) {
        b.append(String.format("%04d-%02d-%02d", r.nextInt(10_000), r.nextInt(14), r.nextInt(33)));
      }
      int extra = r.nextInt(3);
      for (int j = 0; j < extra; j++) {
        b.insert(r.nextInt(b.length() + 1), alphabet.charAt(r.nextInt(alphabet.length())));
      }
      cases.add(b.toString());
    }
    for (String s : cases) {
      LocalDate expected = s.startsWith("-") || s.startsWith("+") ? null : viaFormatter(s);
      assertEquals(expected, JsonFields.isoDate(s), "'" + s + "'");
    }
  }

  @Test
  void signedYearsThatTheFormatterAllowsAreNotPriceDates() {
    assertEquals(LocalDate.of(-1818, 9, 6), viaFormatter("-1818-09-06"));
    assertEquals(null, JsonFields.isoDate("-1818-09-06"));
    assertEquals(null, JsonFields.isoDate("+12025-01-01"));
  }

  @Test
  void plainDecimalAgreesWithTheExpression() {
    List<String> cases = new ArrayList<>(List.of(
        "0", "2.50", "-1", "-0.5", "1.", ".5", "-", "", "1.2.3", "1e5", "+1", "12a", "0001.1000", "--1", "1 ", "-.5"));
    Random r = new Random(7);
    String alphabet = "0123456789.-+e ";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(7);
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      cases.add(b.toString());
    }
    for (String s : cases) {
      assertEquals(s.matches("-?[0-9]+(\\.[0-9]+)?"), JsonFields.isPlainDecimal(s), "'" + s + "'");
    }
  }

  private static LocalDate viaFormatter(String s) {
    try {
      return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
