package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.pricing.CostBreakdown;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LedgerFormatTest {

  @Test
  void instantsAreWrittenExactlyAsInstantToStringWritesThem() {
    LedgerFormat f = new LedgerFormat();
    Instant[] edges = {
      Instant.EPOCH,
      Instant.parse("2026-11-28T23:13:53Z"),
      Instant.parse("2026-11-28T23:13:53.100Z"),
      Instant.parse("2026-11-28T23:13:53.000100Z"),
      Instant.parse("2026-11-28T23:13:53.000000001Z"),
      Instant.parse("2026-11-28T23:13:53.999999999Z"),
      Instant.ofEpochSecond(-1, 500_000_000), // before 1970: the second below, then the fraction
      Instant.ofEpochSecond(253_402_300_800L, 10), // year 10000: the JDK's '+' prefix
      Instant.MIN,
      Instant.MAX,
    };
    for (Instant t : edges) {
      assertThat(f.instant(t)).isEqualTo(t.toString());
    }
    // Random instants, many within the same second (the cached part) and across seconds, with every fraction shape.
    SplittableRandom random = new SplittableRandom(42);
    long second = 1_795_000_000L;
    for (int i = 0; i < 200_000; i++) {
      if (random.nextInt(8) == 0) {
        second += random.nextInt(3) - 1 + (random.nextInt(100) == 0 ? random.nextLong(-10_000_000_000L, 10_000_000_000L) : 0);
      }
      int nanos;
      switch (random.nextInt(4)) {
        case 0: nanos = 0; break;
        case 1: nanos = random.nextInt(1000) * 1_000_000; break;
        case 2: nanos = random.nextInt(1_000_000) * 1_000; break;
        default: nanos = random.nextInt(1_000_000_000);
      }
      Instant t = Instant.ofEpochSecond(second, nanos);
      assertThat(f.instant(t)).as("%s", t).isEqualTo(t.toString());
    }
  }

  @Test
  void durationsAreTheSameNumberAsTheMillisecondDecimalWrittenPlain() {
    LedgerFormat f = new LedgerFormat();
    assertThat(f.durationMillis(412_500_000L)).isEqualTo("412.5");
    assertThat(f.durationMillis(10_000_000L)).isEqualTo("10"); // BigDecimal's stripTrailingZeros would print 1E+1
    assertThat(f.durationMillis(0)).isEqualTo("0");
    assertThat(f.durationMillis(1)).isEqualTo("0.000001");
    assertThat(f.durationMillis(-1_500_000L)).isEqualTo("-1.5");
    assertThat(f.durationMillis(-5)).isEqualTo("-0.000005");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long nanos;
      switch (random.nextInt(4)) {
        case 0: nanos = random.nextLong(0, 1_000_000_000_000L); break;
        case 1: nanos = random.nextLong(0, 1_000_000L) * 1_000; break;
        case 2: nanos = random.nextLong(0, 100_000L) * 1_000_000; break;
        default: nanos = random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE);
      }
      String text = f.durationMillis(nanos);
      assertThat(text).as("%d", nanos).doesNotContain("E").doesNotEndWith(".");
      assertThat(new BigDecimal(text).compareTo(BigDecimal.valueOf(nanos, 6))).as("%d -> %s", nanos, text).isZero();
      if (text.contains(".")) {
        assertThat(text).as("no trailing zeros: %s", text).doesNotEndWith("0");
      }
    }
  }

  @Test
  void costAmountsAreExactlyWhatCostBreakdownFormatWritesForTheirBigDecimal() {
    LedgerFormat f = new LedgerFormat();
    long[] edges = {
      0, 1, -1, 10, 1_000_000_000_000L, 10_000_000_000_000L, 37_500_000_000L, 999_999_999_999L,
      Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
    };
    for (long picos : edges) {
      assertThat(f.picos(picos)).as("%d", picos).isEqualTo(CostBreakdown.format(BigDecimal.valueOf(picos, 12)));
    }
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      long picos;
      switch (random.nextInt(4)) {
        case 0: picos = random.nextLong(0, 10_000_000_000_000L); break; // up to $10, every digit
        case 1: picos = random.nextLong(0, 1_000_000L) * 1_000_000; break; // trailing zeros
        case 2: picos = random.nextLong(0, 1_000L) * 1_000_000_000_000L; break; // whole amounts
        default: picos = random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE);
      }
      assertThat(f.picos(picos)).as("%d", picos).isEqualTo(CostBreakdown.format(BigDecimal.valueOf(picos, 12)));
    }
  }
}
