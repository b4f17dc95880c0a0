package dev.aicost.javaagent.instrumentation.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The failure behind the wrappers a future adds around it. JDK types only. */
public final class Causes {

  private Causes() {}

  /** {@code t} without its {@link CompletionException} / {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
