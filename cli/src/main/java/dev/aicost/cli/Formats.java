package dev.aicost.cli;

import java.math.BigDecimal;
import java.util.Locale;

/** Number formatting shared by the commands. */
final class Formats {

  private Formats() {}

  /** {@code 12000} as {@code 12,000}. */
  static String tokens(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** An amount without trailing zeros, never in exponent notation: {@code 0.03675}, {@code 0}. */
  static String money(BigDecimal amount) {
    BigDecimal s = amount.stripTrailingZeros();
    if (s.signum() == 0) {
      return "0";
    }
    return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
  }
}
