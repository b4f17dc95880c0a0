package dev.aicost.bootstrap;

/**
 * Where instrumentation (injected next to a client library, in whatever class loader holds it) hands calls to the
 * recording pipeline (in the agent's own class loader, or the application's when the SDK is used on its own).
 */
public final class AiCallBridge {

  private static volatile AiCallSink sink;

  private AiCallBridge() {}

  /** Installs the sink that records calls; the last one installed wins. */
  public static void install(AiCallSink newSink) {
    sink = newSink;
  }

  /** Removes {@code expected} if it is still the installed sink. */
  public static synchronized void uninstall(AiCallSink expected) {
    if (sink == expected) {
      sink = null;
    }
  }

  public static boolean isInstalled() {
    return sink != null;
  }

  /** Starts a call; returns a handle that ignores everything when no sink is installed. */
  public static AiCallHandle start(AiCallStart start) {
    AiCallSink s = sink;
    if (s == null) {
      return AiCallHandle.NOOP;
    }
    return s.start(start);
  }

  /** Tells the installed sink that a task started; never throws. */
  static void taskStarted(TaskRun run) {
    AiCallSink s = sink;
    if (s != null) {
      try {
        s.taskStarted(run);
      } catch (Throwable ignored) {
        // recording must never reach the application
      }
    }
  }

  /** Tells the installed sink that a task ended; never throws. */
  static void taskEnded(TaskRun run) {
    AiCallSink s = sink;
    if (s != null) {
      try {
        s.taskEnded(run);
      } catch (Throwable ignored) {
        // recording must never reach the application
      }
    }
  }
}
