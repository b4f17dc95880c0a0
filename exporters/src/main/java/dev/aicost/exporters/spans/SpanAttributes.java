package dev.aicost.exporters.spans;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A completed span's attributes: two parallel arrays in insertion order, sized for an AI call's span from the start.
 * The OpenTelemetry SDK's span storage starts with room for 16 attributes and grows (three arrays and a hash table,
 * ~700 B) for the ~27 an aicost call span carries (docs/performance.md#recording-one-call).
 *
 * <p>Same rules as the SDK's: an attribute set again under the same name replaces the old value (whatever its type);
 * a null value is ignored; beyond {@code maxCount} distinct names new attributes are dropped (and counted); string
 * values, alone or in arrays, are cut to {@code maxValueLength} characters.
 *
 * <p>Written by one thread only (the one that builds and ends the span), read after the span ended by the span
 * processors' threads, which the processors' own hand-over orders after those writes.
 */
final class SpanAttributes implements Attributes {

  private static final int INITIAL_CAPACITY = 32;

  private final int maxCount;
  private final int maxValueLength;
  private AttributeKey<?>[] keys;
  private Object[] values;
  private int size;
  private int totalAdded;

  SpanAttributes(int maxCount, int maxValueLength) {
    this.maxCount = maxCount;
    this.maxValueLength = maxValueLength;
    int capacity = Math.max(1, Math.min(INITIAL_CAPACITY, maxCount));
    this.keys = new AttributeKey<?>[capacity];
    this.values = new Object[capacity];
  }

  <T> void put(AttributeKey<T> key, T value) {
    if (key == null || key.getKey().isEmpty() || value == null) {
      return;
    }
    int i = indexOf(key.getKey());
    if (i < 0) {
      totalAdded++;
      if (size >= maxCount) {
        return;
      }
      if (size == keys.length) {
        int capacity = (int) Math.min((long) keys.length * 2, maxCount);
        keys = java.util.Arrays.copyOf(keys, capacity);
        values = java.util.Arrays.copyOf(values, capacity);
      }
      i = size++;
    }
    keys[i] = key;
    values[i] = limitLength(value);
  }

  /** Every attribute ever added, dropped ones included (what the SDK reports as the total). */
  int totalAdded() {
    return totalAdded;
  }

  private int indexOf(String name) {
    int hash = name.hashCode(); // cached by String: a probe is mostly int comparisons
    for (int i = 0; i < size; i++) {
      String other = keys[i].getKey();
      if (other == name || (other.hashCode() == hash && other.equals(name))) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a string value, or a string in an array value, is longer than {@code max} characters. */
  static boolean isLongerThan(Object value, int max) {
    if (value instanceof String) {
      return ((String) value).length() > max;
    }
    if (value instanceof List) {
      for (Object o : (List<?>) value) {
        if (o instanceof String && ((String) o).length() > max) {
          return true;
        }
      }
    }
    return false;
  }

  private Object limitLength(Object value) {
    if (maxValueLength == Integer.MAX_VALUE) {
      return value;
    }
    if (value instanceof String) {
      String s = (String) value;
      return s.length() > maxValueLength ? s.substring(0, maxValueLength) : s;
    }
    if (value instanceof List) {
      if (!isLongerThan(value, maxValueLength)) {
        return value;
      }
      List<?> list = (List<?>) value;
      List<Object> limited = new ArrayList<>(list.size());
      for (Object o : list) {
        limited.add(o instanceof String ? limitLength(o) : o);
      }
      return Collections.unmodifiableList(limited);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  @Override
  public <T> T get(AttributeKey<T> key) {
    if (key == null) {
      return null;
    }
    int i = indexOf(key.getKey());
    if (i < 0 || keys[i].getType() != key.getType()) {
      return null;
    }
    return (T) values[i];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    for (int i = 0; i < size; i++) {
      ((BiConsumer) consumer).accept(keys[i], values[i]);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      map.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public AttributesBuilder toBuilder() {
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < size; i++) {
      b.put((AttributeKey) keys[i], values[i]);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes && asMap().equals(((Attributes) o).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ", ").append(keys[i].getKey()).append('=').append(values[i]);
    }
    return sb.append('}').toString();
  }
}
