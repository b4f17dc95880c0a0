package dev.aicost.exporters;

import java.time.Instant;

/**
 * The ledger's two per-line formats that the JDK makes expensive, written by hand with the same result: an instant
 * exactly as {@link Instant#toString()} writes it, and a duration in milliseconds as a plain decimal number. The JDK's
 * {@code BigDecimal} duration took ~1 µs and {@code Instant.toString()} ~0.5 µs; a whole line went from 2.0-2.1 µs to
 * 1.6-1.8 µs (docs/performance.md#recording-one-call).
 *
 * <p>Not thread-safe: one per ledger, used by its writer thread.
 */
final class LedgerFormat {

  /** The epoch second of {@link #secondPrefix}; {@code Long.MIN_VALUE} (no instant has it) for none yet. */
  private long second = Long.MIN_VALUE;
  /** {@code Instant.toString()} of {@link #second} without its closing {@code Z}. */
  private String secondPrefix;
  private final StringBuilder text = new StringBuilder(40);

  /**
   * {@code t.toString()}: the date and time of its second (computed once per second, by the JDK), then the fraction in
   * groups of three digits, as many as needed, as {@code DateTimeFormatter.ISO_INSTANT} prints it.
   */
  String instant(Instant t) {
    long s = t.getEpochSecond();
    if (s != second) {
      String whole = Instant.ofEpochSecond(s).toString(); // ends with "Z", no fraction
      secondPrefix = whole.substring(0, whole.length() - 1);
      second = s;
    }
    int nanos = t.getNano();
    StringBuilder b = text;
    b.setLength(0);
    b.append(secondPrefix);
    if (nanos != 0) {
      b.append('.');
      if (nanos % 1_000_000 == 0) {
        appendDigits(b, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        appendDigits(b, nanos / 1_000, 6);
      } else {
        appendDigits(b, nanos, 9);
      }
    }
    return b.append('Z').toString();
  }

  /**
   * {@code nanos} as milliseconds, the same number as {@code BigDecimal.valueOf(nanos, 6)}, written plain (never in
   * exponent form) without trailing zeros: {@code 412.5}, {@code 10}, {@code 0.000001}.
   */
  String durationMillis(long nanos) {
    StringBuilder b = text;
    b.setLength(0);
    long whole = nanos / 1_000_000;
    long fraction = nanos % 1_000_000;
    if (nanos < 0) {
      b.append('-');
      whole = -whole;
      fraction = -fraction;
    }
    b.append(whole);
    if (fraction != 0) {
      int digits = 6;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      b.append('.');
      appendDigits(b, fraction, digits);
    }
    return b.toString();
  }

  /** {@code value} (non-negative) with leading zeros to {@code digits} digits. */
  private static void appendDigits(StringBuilder b, long value, int digits) {
    for (long scale = pow10(digits - 1); scale > 1 && value < scale; scale /= 10) {
      b.append('0');
    }
    b.append(value);
  }

  private static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }
}
