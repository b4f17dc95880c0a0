package dev.aicost.pricing;

import java.util.Collections;
import java.util.List;

/**
 * A price catalog that cannot be used, with every problem found (not only the first). Each error names the JSON path
 * and the rule it breaks, e.g. {@code models[3].prices[0].input: must be >= 0}; errors from a file are prefixed with
 * the file's name.
 */
public final class CatalogValidationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String origin;
  private final transient List<String> errors;

  CatalogValidationException(String origin, List<String> errors) {
    super(message(origin, errors));
    this.origin = origin;
    this.errors = Collections.unmodifiableList(errors);
  }

  /** Where the catalog came from: a file path, a classpath resource, or a description of a layered catalog. */
  public String origin() {
    return origin;
  }

  /** Every error, in document order, each as {@code path: rule}. */
  public List<String> errors() {
    return errors;
  }

  private static String message(String origin, List<String> errors) {
    StringBuilder sb = new StringBuilder();
    sb.append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append(" in price catalog ");
    sb.append(origin).append(':');
    for (String e : errors) {
      sb.append("\n  - ").append(e);
    }
    return sb.toString();
  }
}
