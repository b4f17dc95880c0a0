package dev.aicost.bootstrap;

/**
 * Receives AI calls from instrumentation. The SDK's recorder implements it; the agent (or an application that uses
 * the SDK on its own) installs one in {@link AiCallBridge}.
 */
public interface AiCallSink {

  /**
   * Starts a call on the calling thread: captures the current attribution and trace context and the start time.
   * Never throws, except policy exceptions that are meant to stop the request before it is sent.
   */
  AiCallHandle start(AiCallStart start);

  /**
   * A task (unit of work) started on the calling thread. The sink may attach what it needs to the run with
   * {@link TaskRun#handle(Object)} (its span). Must not throw and must not block: it runs inside the application's
   * scope opening.
   */
  default void taskStarted(TaskRun run) {}

  /** A task ended: its scope closed and every call it counted ended. Called on the thread that ended it. */
  default void taskEnded(TaskRun run) {}
}
