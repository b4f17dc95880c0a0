package dev.aicost.bootstrap;

import java.util.Map;

/**
 * The string form of a static attribution, as the agent writes it into instrumented code for a
 * {@code @CostCenter} annotation: {@code key=value} pairs separated by the ASCII record separator.
 */
public final class AttributionSpec {

  private static final char SEPARATOR = '\u001e';

  private AttributionSpec() {}

  /** Encodes non-blank entries; keys are attribution fields ({@code team}, ...) or custom keys. */
  public static String encode(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getValue() == null || e.getValue().trim().isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(SEPARATOR);
      }
      sb.append(e.getKey()).append('=').append(e.getValue().replace(SEPARATOR, ' '));
    }
    return sb.toString();
  }

  public static Attribution decode(String spec) {
    Attribution.Builder b = Attribution.builder();
    for (Map.Entry<String, String> e : pairs(spec).entrySet()) {
      b.set(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /**
   * Encodes {@code @CostAttribute} bindings: attribution key (field or custom key) to the index of the method
   * argument that supplies it.
   */
  public static String encodeArguments(Map<String, Integer> keyToIndex) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : keyToIndex.entrySet()) {
      values.put(e.getKey(), Integer.toString(e.getValue()));
    }
    return encode(values);
  }

  /** The {@code key=value} pairs of a spec, in order. */
  static Map<String, String> pairs(String spec) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (spec == null || spec.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= spec.length()) {
      int end = spec.indexOf(SEPARATOR, start);
      if (end < 0) {
        end = spec.length();
      }
      String pair = spec.substring(start, end);
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      start = end + 1;
    }
    return out;
  }
}
