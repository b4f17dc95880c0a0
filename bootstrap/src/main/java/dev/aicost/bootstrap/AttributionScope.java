package dev.aicost.bootstrap;

/** An open attribution scope; closing it restores the attribution that was in force before it opened. */
public final class AttributionScope implements AutoCloseable {

  private final Attribution previous;
  private final Attribution opened;
  private final TaskRun startedTask;
  private boolean closed;

  AttributionScope(Attribution previous, Attribution opened, TaskRun startedTask) {
    this.previous = previous;
    this.opened = opened;
    this.startedTask = startedTask;
  }

  /** The task this scope started, or {@code null} when it started none (no task name, or inside a task). */
  public TaskRun startedTask() {
    return startedTask;
  }

  /** The attribution in force inside this scope. */
  public Attribution attribution() {
    return opened == null ? Attribution.EMPTY : opened;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      AttributionContext.closeScope(previous, opened);
      if (startedTask != null) {
        startedTask.scopeClosed();
      }
    }
  }
}
