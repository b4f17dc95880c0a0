package dev.aicost.bootstrap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribution in force on the current thread.
 *
 * <p>There is exactly one copy of this class in a JVM that runs the agent: the agent puts it on the bootstrap class
 * path, so the application's SDK ({@code AiCost.attribute()...open()}), the agent's {@code @CostCenter} advice and
 * the agent's recording all read the same thread-local. Without the agent, the SDK jar's own copy serves alone.
 */
public final class AttributionContext {

  private static final ThreadLocal<Attribution> CURRENT = new ThreadLocal<>();

  /** Decoded {@code @CostCenter} specs; their number is bounded by the annotated methods in the application. */
  private static final Map<String, Attribution> SPEC_CACHE = new ConcurrentHashMap<>();

  private AttributionContext() {}

  /** The effective attribution of this thread; {@link Attribution#EMPTY} when none is open. */
  public static Attribution current() {
    Attribution a = CURRENT.get();
    return a == null ? Attribution.EMPTY : a;
  }

  /**
   * Opens a scope whose fields override the current ones field by field; close it on the same thread.
   *
   * <p>A scope that names a task while no task is in progress starts one: a {@link TaskRun} that travels with the
   * attribution and ends when this scope has closed and the calls it counted have ended. Inside a task, a nested
   * scope's task name is ignored: the outermost unit of work owns the spend, so {@code aicost.task} always names the
   * task that the call rolls up to.
   */
  public static AttributionScope open(Attribution overlay) {
    Attribution previous = CURRENT.get();
    Attribution base = previous == null ? Attribution.EMPTY : previous;
    Attribution next = base.overriddenBy(overlay);
    TaskRun started = null;
    if (overlay != null && overlay.task() != null) {
      TaskRun running = base.taskRun();
      if (running != null && !running.isEnded()) {
        next = next.withTask(base.task());
      } else {
        Attribution withoutRun = next.withTaskRun(null);
        started = new TaskRun(overlay.task(), withoutRun);
        next = withoutRun.withTaskRun(started);
        AiCallBridge.taskStarted(started);
      }
    }
    if (next.isEmpty()) {
      next = null;
    }
    CURRENT.set(next);
    return new AttributionScope(previous, next, started);
  }

  /**
   * Makes {@code snapshot} the whole attribution of this thread until the scope closes. Used to carry a captured
   * attribution to another thread: a pooled thread then sees the submitter's attribution, never a previous task's.
   */
  public static AttributionScope restore(Attribution snapshot) {
    Attribution previous = CURRENT.get();
    Attribution next = snapshot == null || snapshot.isEmpty() ? null : snapshot;
    CURRENT.set(next);
    return new AttributionScope(previous, next, null);
  }

  /**
   * Makes {@code next} (or nothing, for {@code null}) the attribution of this thread and returns the one it
   * replaces. For task boundaries ({@link TaskAttributions}): the caller puts the returned value back when the
   * task ends, whatever the task did to the context meanwhile.
   */
  static Attribution swap(Attribution next) {
    Attribution previous = CURRENT.get();
    if (next == null || next.isEmpty()) {
      if (previous != null) {
        CURRENT.remove();
      }
    } else if (next != previous) {
      CURRENT.set(next);
    }
    return previous;
  }

  /** The raw thread-local value: {@code null} when no attribution is in force. */
  static Attribution peek() {
    return CURRENT.get();
  }

  /** Opens a scope from a spec written by {@link AttributionSpec#encode}; the agent's advice calls this. */
  public static AttributionScope openSpec(String spec) {
    Attribution overlay = SPEC_CACHE.get(spec);
    if (overlay == null) {
      overlay = AttributionSpec.decode(spec);
      SPEC_CACHE.putIfAbsent(spec, overlay);
    }
    return open(overlay);
  }

  /** Decoded argument bindings of {@code @CostAttribute} parameters, per method. */
  private static final Map<String, ArgumentBinding> ARGUMENT_CACHE = new ConcurrentHashMap<>();

  /**
   * Opens a scope from a {@code @CostCenter} spec plus values taken from the method's arguments: {@code arguments}
   * is written by {@link AttributionSpec#encodeArguments} ({@code key} to argument index). An argument's value is its
   * {@code toString()}; {@code null}, blank or a throwing {@code toString()} leaves the field unset. Argument values
   * override the spec's.
   */
  public static AttributionScope openSpec(String spec, String argumentSpec, Object[] arguments) {
    Attribution overlay = SPEC_CACHE.get(spec);
    if (overlay == null) {
      overlay = AttributionSpec.decode(spec);
      SPEC_CACHE.putIfAbsent(spec, overlay);
    }
    ArgumentBinding binding = ARGUMENT_CACHE.get(argumentSpec);
    if (binding == null) {
      binding = ArgumentBinding.decode(argumentSpec);
      ARGUMENT_CACHE.putIfAbsent(argumentSpec, binding);
    }
    if (arguments != null && binding.keys.length > 0) {
      Attribution.Builder b = overlay.toBuilder();
      for (int i = 0; i < binding.keys.length; i++) {
        int index = binding.indexes[i];
        if (index < arguments.length && arguments[index] != null) {
          String value;
          try {
            value = arguments[index].toString();
          } catch (Throwable t) {
            value = null;
          }
          b.set(binding.keys[i], value);
        }
      }
      overlay = b.build();
    }
    return open(overlay);
  }

  /** {@code key} to argument index pairs, decoded once per method. */
  private static final class ArgumentBinding {
    final String[] keys;
    final int[] indexes;

    private ArgumentBinding(String[] keys, int[] indexes) {
      this.keys = keys;
      this.indexes = indexes;
    }

    static ArgumentBinding decode(String spec) {
      Map<String, String> pairs = AttributionSpec.pairs(spec);
      String[] keys = new String[pairs.size()];
      int[] indexes = new int[pairs.size()];
      int n = 0;
      for (Map.Entry<String, String> e : pairs.entrySet()) {
        try {
          indexes[n] = Integer.parseInt(e.getValue());
          keys[n] = e.getKey();
          n++;
        } catch (NumberFormatException ignored) {
          // not written by the agent; skip
        }
      }
      return new ArgumentBinding(java.util.Arrays.copyOf(keys, n), java.util.Arrays.copyOf(indexes, n));
    }
  }

  static void closeScope(Attribution previous, Attribution opened) {
    // A scope closed out of order (or on another thread) must not clobber a newer scope.
    if (CURRENT.get() == opened) {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
