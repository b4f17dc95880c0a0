package dev.aicost.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exact running totals of spend per attribute set, reported through an asynchronous counter.
 *
 * <p>Summing doubles per call would accumulate rounding error; here each series keeps an exact integer total (whole
 * micro-units plus a pico remainder, so neither part can overflow in practice) and converts to a double once per
 * export. Adding is two {@link LongAdder} increments: no lock on the hot path.
 */
final class SpendAggregator {

  private static final long PICOS_PER_MICRO = 1_000_000L;

  /** The series that absorbs new attribute sets once {@link #maxSeries} is reached. */
  static final Attributes OVERFLOW = Attributes.of(AiCostAttributes.TEAM, "other", AiCostAttributes.FEATURE, "other");

  private final Map<Attributes, Series> series = new ConcurrentHashMap<>();
  private final int maxSeries;

  SpendAggregator(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  void add(Attributes attributes, long picos) {
    Series s = series.get(attributes);
    if (s == null) {
      Attributes key = series.size() >= maxSeries ? OVERFLOW : attributes;
      s = series.computeIfAbsent(key, k -> new Series());
    }
    s.add(picos);
  }

  void observe(ObservableDoubleMeasurement measurement) {
    for (Map.Entry<Attributes, Series> e : series.entrySet()) {
      measurement.record(e.getValue().total().doubleValue(), e.getKey());
    }
  }

  /** Exact total of one series, in currency units. */
  BigDecimal total(Attributes attributes) {
    Series s = series.get(attributes);
    return s == null ? BigDecimal.ZERO : s.total();
  }

  int seriesCount() {
    return series.size();
  }

  private static final class Series {
    private final LongAdder micros = new LongAdder();
    private final LongAdder picoRemainder = new LongAdder();

    void add(long picos) {
      micros.add(picos / PICOS_PER_MICRO);
      picoRemainder.add(picos % PICOS_PER_MICRO);
    }

    BigDecimal total() {
      return BigDecimal.valueOf(micros.sum(), 6).add(BigDecimal.valueOf(picoRemainder.sum(), 12));
    }
  }
}
