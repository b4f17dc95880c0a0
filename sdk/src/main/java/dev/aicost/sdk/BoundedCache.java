package dev.aicost.sdk;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A get-or-build cache for values derived from a key, bounded so that a flood of distinct keys cannot grow it: once
 * {@code max} entries are held, values for new keys are built per call and not kept. Lock-free reads; two threads
 * building the same value at once keep the first.
 */
final class BoundedCache<K, V> {

  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
  private final int max;

  BoundedCache(int max) {
    this.max = max;
  }

  /** The cached value for {@code key}, else {@code build.apply(key)} (kept while there is room). */
  V get(K key, Function<? super K, ? extends V> build) {
    V cached = map.get(key);
    if (cached != null) {
      return cached;
    }
    V built = build.apply(key);
    if (map.size() < max) {
      V raced = map.putIfAbsent(key, built);
      return raced != null ? raced : built;
    }
    return built;
  }
}
