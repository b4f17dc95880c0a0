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
}
