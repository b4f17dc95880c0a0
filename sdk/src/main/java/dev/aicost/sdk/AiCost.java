package dev.aicost.sdk;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionContext;

/**
 * The entry point of the aicost SDK.
 *
 * <pre>{@code
 * try (AiCostScope scope = AiCost.attribute().team("search").feature("autocomplete").open()) {
 *   client.chat().completions().create(params); // metered by the agent, attributed to search/autocomplete
 * }
 * }</pre>
 *
 * With the agent attached, the scope reaches the agent's instrumentation through one shared context. Without the
 * agent, install a recorder with {@link #install(AiCallSink)} and report calls with {@link #startCall(AiCallStart)}.
 */
public final class AiCost {

  private AiCost() {}

  /** Starts building an attribution scope. */
  public static AiCostScopeBuilder attribute() {
    return new AiCostScopeBuilder();
  }

  /**
   * Opens a task scope: a unit of work whose AI calls (on this thread and on every thread the attribution reaches)
   * roll up into one task record with its total cost. The outermost task scope wins; inside a task this only
   * opens a scope. Equivalent to {@code attribute().task(name).open()}.
   *
   * <pre>{@code
   * try (AiCostScope task = AiCost.task("answer-ticket")) {
   *   ... // every AI call here counts towards this answer-ticket task
   * }
   * }</pre>
   */
  public static AiCostScope task(String name) {
    return attribute().task(name).open();
  }

  /** The attribution in force on this thread ({@link Attribution#EMPTY} outside any scope). */
  public static Attribution currentAttribution() {
    return AttributionContext.current();
  }

  /**
   * Reports an AI call that no instrumentation sees (a custom HTTP client, an in-house gateway). Report usage on
   * the returned handle and end it exactly once. Goes to the agent when it is attached, else to the sink installed
   * with {@link #install(AiCallSink)}, else nowhere.
   */
  public static AiCallHandle startCall(AiCallStart start) {
    return AiCallBridge.start(start);
  }

  /** Installs the recorder used when the agent is not attached, typically an {@link AiCallRecorder}. */
  public static void install(AiCallSink sink) {
    AiCallBridge.install(sink);
  }

  /** Whether a recorder (the agent's or one installed by the application) receives calls. */
  public static boolean isRecording() {
    return AiCallBridge.isInstalled();
  }
}
