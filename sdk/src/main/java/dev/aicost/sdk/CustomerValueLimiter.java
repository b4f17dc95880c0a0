package dev.aicost.sdk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the number of distinct {@code aicost.customer} values on metrics: the first {@code max} customers seen keep
 * their own series, later ones are counted as {@code other}. The ledger and spans always carry the exact customer.
 */
final class CustomerValueLimiter {

  static final String OTHER = "other";

  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private final int max;

  CustomerValueLimiter(int max) {
    this.max = max;
  }

  String limit(String customer) {
    if (customer == null) {
      return null;
    }
    if (admitted.contains(customer)) {
      return customer;
    }
    if (admitted.size() < max && admitted.add(customer)) {
      return customer;
    }
    return admitted.contains(customer) ? customer : OTHER;
  }
}
