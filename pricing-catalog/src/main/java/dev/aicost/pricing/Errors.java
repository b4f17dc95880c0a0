package dev.aicost.pricing;

import java.util.ArrayList;
import java.util.List;

/** Collects validation errors so that a catalog reports all its problems at once. */
final class Errors {

  private final String origin;
  private final List<String> messages = new ArrayList<>();

  Errors(String origin) {
    this.origin = origin;
  }

  String origin() {
    return origin;
  }

  void add(String path, String rule) {
    messages.add(path.isEmpty() ? rule : path + ": " + rule);
  }

  boolean isEmpty() {
    return messages.isEmpty();
  }

  int size() {
    return messages.size();
  }

  void throwIfAny() {
    if (!messages.isEmpty()) {
      throw new CatalogValidationException(origin, new ArrayList<>(messages));
    }
  }
}
