package dev.aicost.exporters;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aicost.pricing.CostBreakdown;
import java.io.IOException;
import java.time.Instant;

/**
 * The ledger's per-line formats that the JDK makes expensive, written by hand with the same result: an instant
 * exactly as {@link Instant#toString()} writes it, a duration in milliseconds and a cost amount as plain decimal
 * numbers. The JDK's {@code BigDecimal} duration took ~1 µs and {@code Instant.toString()} ~0.5 µs; a whole line went
 * from 2.0-2.1 µs to 1.6-1.8 µs. The {@code write...} methods hand the text to the generator from a reused buffer, so
 * a call's line allocates nothing here (it was ~1.2 KB: a {@code BigDecimal} and two strings per cost amount;
 * docs/performance.md#recording-one-call).
 *
 * <p>Not thread-safe: one per ledger, used by its writer thread.
 */
final class LedgerFormat {

  /** The epoch second of {@link #secondPrefix}; {@code Long.MIN_VALUE} (no instant has it) for none yet. */
  private long second = Long.MIN_VALUE;
  /** {@code Instant.toString()} of {@link #second} without its closing {@code Z}. */
  private String secondPrefix;
  private final StringBuilder text = new StringBuilder(40);
  /** {@link #text} copied out for the generator, which takes characters from an array. */
  private char[] chars = new char[40];

  /**
   * {@code t.toString()}: the date and time of its second (computed once per second, by the JDK), then the fraction in
   * groups of three digits, as many as needed, as {@code DateTimeFormatter.ISO_INSTANT} prints it.
   */
  String instant(Instant t) {
    return appendInstant(t).toString();
  }

  /** Writes {@link #instant} as a string value. */
  void writeInstant(JsonGenerator g, Instant t) throws IOException {
    writeString(g, appendInstant(t));
  }

  private StringBuilder appendInstant(Instant t) {
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
    return b.append('Z');
  }

  /**
   * {@code nanos} as milliseconds, the same number as {@code BigDecimal.valueOf(nanos, 6)}, written plain (never in
   * exponent form) without trailing zeros: {@code 412.5}, {@code 10}, {@code 0.000001}.
   */
  String durationMillis(long nanos) {
    return appendDecimal(nanos, 6).toString();
  }

  /** Writes {@link #durationMillis} as a number value. */
  void writeDurationMillis(JsonGenerator g, long nanos) throws IOException {
    StringBuilder b = appendDecimal(nanos, 6);
    g.writeNumber(copy(b), 0, b.length());
  }

  /**
   * An amount in pico-units ({@link CostBreakdown#SCALE} decimals) as {@link CostBreakdown#format} writes
   * {@code BigDecimal.valueOf(picos, 12)}: plain, without trailing zeros, {@code 0} for zero.
   */
  String picos(long picos) {
    return appendDecimal(picos, CostBreakdown.SCALE).toString();
  }

  /** Writes {@link #picos} as a string value (amounts are strings in the ledger, exact to the last digit). */
  void writePicos(JsonGenerator g, long picos) throws IOException {
    writeString(g, appendDecimal(picos, CostBreakdown.SCALE));
  }

  /**
   * {@code unscaled / 10^scale} written plain without trailing zeros, the same text as
   * {@code BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString()} ({@code 0} for zero).
   */
  private StringBuilder appendDecimal(long unscaled, int scale) {
    StringBuilder b = text;
    b.setLength(0);
    long unit = pow10(scale);
    long whole = unscaled / unit;
    long fraction = unscaled % unit;
    if (unscaled < 0) {
      b.append('-');
      whole = -whole; // cannot overflow: |Long.MIN_VALUE / 10^scale| < Long.MAX_VALUE for scale >= 1
      fraction = -fraction;
    }
    b.append(whole);
    if (fraction != 0) {
      int digits = scale;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      b.append('.');
      appendDigits(b, fraction, digits);
    }
    return b;
  }

  private void writeString(JsonGenerator g, StringBuilder b) throws IOException {
    g.writeString(copy(b), 0, b.length());
  }

  private char[] copy(StringBuilder b) {
    if (chars.length < b.length()) {
      chars = new char[Math.max(b.length(), 2 * chars.length)];
    }
    b.getChars(0, b.length(), chars, 0);
    return chars;
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
