package dev.aicost.testing;

import com.google.protobuf.Message;
import java.util.List;
import java.util.Map;

/**
 * One data point of one metric as an {@link OtlpReceiver} received it, flattened with its metric, resource and
 * scope.
 *
 * <ul>
 *   <li>{@link Type#GAUGE} / {@link Type#SUM}: {@link #value()} is a {@code Long} or a {@code Double}.
 *   <li>{@link Type#HISTOGRAM}: {@link #count()}, {@link #sum()}, {@link #min()}, {@link #max()},
 *       {@link #bucketCounts()} and {@link #explicitBounds()}.
 *   <li>{@link Type#EXPONENTIAL_HISTOGRAM} / {@link Type#SUMMARY}: count, sum (and min/max) here; buckets and
 *       quantiles in {@link #raw()}.
 * </ul>
 *
 * Absent optional fields ({@code sum}, {@code min}, {@code max}) are null. {@link #raw()} is the protobuf data point
 * ({@code NumberDataPoint}, {@code HistogramDataPoint}, …).
 */
public record MetricPoint(
    String name,
    String description,
    String unit,
    Type type,
    Temporality temporality,
    boolean monotonic,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    String scopeName,
    long startEpochNanos,
    long epochNanos,
    Number value,
    long count,
    Double sum,
    Double min,
    Double max,
    List<Long> bucketCounts,
    List<Double> explicitBounds,
    Message raw) {

  /** Which OTLP metric data kind the point came from. */
  public enum Type {
    GAUGE,
    SUM,
    HISTOGRAM,
    EXPONENTIAL_HISTOGRAM,
    SUMMARY
  }

  /** OTLP aggregation temporality; {@link #UNSPECIFIED} for gauges and summaries. */
  public enum Temporality {
    UNSPECIFIED,
    DELTA,
    CUMULATIVE
  }

  /** The gauge/sum value as a long; fails for a double value or a histogram. */
  public long longValue() {
    if (!(value instanceof Long)) {
      throw new AssertionError("metric " + name + " point has no long value: " + this);
    }
    return (Long) value;
  }

  /** The gauge/sum value as a double (a long value is widened); fails for a histogram. */
  public double doubleValue() {
    if (value == null) {
      throw new AssertionError("metric " + name + " point has no value: " + this);
    }
    return value.doubleValue();
  }

  /** The attribute's value, or null. */
  public Object attribute(String key) {
    return attributes.get(key);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MetricPoint{").append(name).append(' ').append(type).append(' ')
        .append(attributes);
    if (value != null) {
      sb.append(" value=").append(value);
    } else {
      sb.append(" count=").append(count).append(" sum=").append(sum);
      if (!bucketCounts.isEmpty()) {
        sb.append(" buckets=").append(bucketCounts).append(" bounds=").append(explicitBounds);
      }
    }
    return sb.append('}').toString();
  }
}
