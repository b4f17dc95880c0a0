package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionScope;

/** An open attribution scope. Close it on the thread that opened it, ideally with try-with-resources. */
public final class AiCostScope implements AutoCloseable {

  private final AttributionScope delegate;

  AiCostScope(AttributionScope delegate) {
    this.delegate = delegate;
  }

  /** The effective attribution inside this scope (outer scopes merged with this one). */
  public Attribution attribution() {
    return delegate.attribution();
  }

  /** The id of the task this scope started, or {@code null} when it started none. */
  public String taskId() {
    return delegate.startedTask() == null ? null : delegate.startedTask().id();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
