package dev.aicost.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Carries attribution from the thread that submits a task to the thread that runs it. The agent's concurrency
 * instrumentation (executors, fork/join, virtual threads, Reactor schedulers) calls these methods from advice
 * inlined into JDK and library classes, so everything here is JDK-only and never throws.
 *
 * <p>Two mechanisms, chosen per call site:
 *
 * <ul>
 *   <li><b>Attach</b> (identity preserved): the submitter's attribution is remembered for the task object itself in a
 *       weak identity map, and the run site ({@code ThreadPoolExecutor} worker loop, {@code ForkJoinTask.doExec})
 *       makes it current around the run. The queued object stays the application's own, so
 *       {@code ThreadPoolExecutor.remove}, {@code shutdownNow}, {@code purge} and {@code ForkJoinTask.join} behave
 *       exactly as without the agent. This is what the OpenTelemetry Java agent does with its virtual fields.
 *   <li><b>Wrap</b>: where nobody can observe the task's identity (a virtual thread's body, a Reactor
 *       {@code Schedulers.onScheduleHook}), the task is wrapped in a runnable that restores the attribution.
 * </ul>
 *
 * <p>In both, the task runs with exactly the submitter's attribution (empty when the submitter had none) and the
 * thread's own attribution is put back afterwards, whatever the task did. A pooled thread therefore never sees the
 * attribution of a previous task. {@code InheritableThreadLocal} is not used: pool threads are created by whichever
 * task happens to be submitted first and would keep its attribution for their whole life.
 */
public final class TaskAttributions {

  /** Returned by {@link #enter} when nothing was changed, so {@link #exit} has nothing to undo. */
  private static final Object UNCHANGED = new Object();

  /** Stands for "no attribution" as a previous value to put back (the map and thread-local use {@code null}). */
  private static final Object NONE = new Object();

  private static final ConcurrentHashMap<Object, Attribution> ATTACHED = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

  /** A {@code Schedulers.onScheduleHook} for Reactor: wraps each scheduled task with the scheduling attribution. */
  public static final Function<Runnable, Runnable> RUNNABLE_DECORATOR = TaskAttributions::wrap;

  private TaskAttributions() {}

  /**
   * Remembers the current attribution for {@code task}, to be restored where it runs; a task object submitted
   * again replaces what it carried (and carries nothing when submitted outside any scope). Allocates nothing when no
   * attribution is in force and no task carries one.
   */
  public static void attach(Object task) {
    if (task == null) {
      return;
    }
    Attribution current = AttributionContext.peek();
    if (current == null) {
      if (!ATTACHED.isEmpty()) {
        ATTACHED.remove(new LookupKey(task));
      }
      return;
    }
    expungeCollected();
    ATTACHED.put(new WeakKey(task, COLLECTED), current);
  }

  /**
   * For a task object that was just created (a {@code ForkJoinTask} constructor): remembers the current attribution
   * for it. Cheaper than {@link #attach} because a new object cannot carry anything yet.
   */
  public static void attachNew(Object task) {
    Attribution current = AttributionContext.peek();
    if (current == null || task == null) {
      return;
    }
    expungeCollected();
    ATTACHED.put(new WeakKey(task, COLLECTED), current);
  }

  /**
   * For a task that becomes the body of a new thread (a virtual thread, a thread-per-task executor): {@code task}
   * wrapped with the attribution it carries (a {@code CompletableFuture} stage captured its creator's) or else the
   * current one; {@code task} itself when there is none.
   */
  public static Runnable wrapForThread(Runnable task) {
    if (task == null || task instanceof AttributedRunnable) {
      return task;
    }
    Attribution attribution = attached(task);
    if (attribution == null) {
      attribution = AttributionContext.peek();
    }
    return attribution == null ? task : new AttributedRunnable(task, attribution);
  }

  /**
   * For {@code ThreadPoolExecutor.execute}: attaches the current attribution to {@code task} and returns it, or,
   * for a lambda or other hidden class, returns it wrapped. A non-capturing lambda is one shared instance, so two
   * threads submitting it at once would otherwise overwrite each other's attribution (the OpenTelemetry agent wraps
   * lambdas for the same reason); the wrapper is what {@code shutdownNow()} then lists for such a task.
   */
  public static Runnable forExecute(Runnable task) {
    if (task == null) {
      return null;
    }
    if (task.getClass().getName().indexOf('/') >= 0) {
      return wrap(task);
    }
    attach(task);
    return task;
  }

  /** The attribution attached to {@code task}, or {@code null}. */
  public static Attribution attached(Object task) {
    if (task == null || ATTACHED.isEmpty()) {
      return null;
    }
    return ATTACHED.get(new LookupKey(task));
  }

  /** How many tasks carry an attribution right now (tests, diagnostics). */
  public static int attachedCount() {
    expungeCollected();
    return ATTACHED.size();
  }

  /**
   * Makes the attribution attached to {@code task} current (none when it carries none) and returns a token for
   * {@link #exit}. For advice on a method that runs a task ({@code ForkJoinTask.doExec}).
   */
  public static Object enter(Object task) {
    Attribution attached = attached(task);
    Attribution previous = AttributionContext.peek();
    if (attached == previous) {
      return UNCHANGED;
    }
    AttributionContext.swap(attached);
    return previous == null ? NONE : previous;
  }

  /** Puts back what {@link #enter} replaced. */
  public static void exit(Object token) {
    if (token == UNCHANGED || token == null) {
      return;
    }
    AttributionContext.swap(token == NONE ? null : (Attribution) token);
  }

  /**
   * Runs {@code task} with the attribution attached to it; what the {@code ThreadPoolExecutor} worker loop calls
   * instead of {@code task.run()}. Exceptions pass through unchanged.
   */
  public static void run(Runnable task) {
    Object token = enter(task);
    try {
      task.run();
    } finally {
      exit(token);
    }
  }

  /**
   * {@code task} wrapped to run with the current attribution; {@code task} itself when none is in force or it is
   * already wrapped with the same attribution.
   */
  public static Runnable wrap(Runnable task) {
    Attribution current = AttributionContext.peek();
    if (task == null || current == null) {
      return task;
    }
    if (task instanceof AttributedRunnable && ((AttributedRunnable) task).attribution == current) {
      return task;
    }
    return new AttributedRunnable(task, current);
  }

  /** {@code task} wrapped to run with the current attribution; {@code task} itself when none is in force. */
  public static <V> Callable<V> wrap(Callable<V> task) {
    Attribution current = AttributionContext.peek();
    if (task == null || current == null || task instanceof AttributedCallable) {
      return task;
    }
    return new AttributedCallable<>(task, current);
  }

  /** The task a wrapper stands for, or {@code task} itself. */
  public static Object unwrap(Object task) {
    if (task instanceof AttributedRunnable) {
      return ((AttributedRunnable) task).delegate;
    }
    if (task instanceof AttributedCallable) {
      return ((AttributedCallable<?>) task).delegate;
    }
    return task;
  }

  private static void expungeCollected() {
    Object ref;
    while ((ref = COLLECTED.poll()) != null) {
      ATTACHED.remove(ref);
    }
  }

  static Object restoreFor(Attribution attribution) {
    Attribution previous = AttributionContext.peek();
    if (attribution == previous) {
      return UNCHANGED;
    }
    AttributionContext.swap(attribution);
    return previous == null ? NONE : previous;
  }

  /** Runs a runnable with the attribution captured when it was wrapped. */
  static final class AttributedRunnable implements Runnable {
    final Runnable delegate;
    final Attribution attribution;

    AttributedRunnable(Runnable delegate, Attribution attribution) {
      this.delegate = delegate;
      this.attribution = attribution;
    }

    @Override
    public void run() {
      Object token = restoreFor(attribution);
      try {
        delegate.run();
      } finally {
        exit(token);
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /** Calls a callable with the attribution captured when it was wrapped. */
  static final class AttributedCallable<V> implements Callable<V> {
    final Callable<V> delegate;
    final Attribution attribution;

    AttributedCallable(Callable<V> delegate, Attribution attribution) {
      this.delegate = delegate;
      this.attribution = attribution;
    }

    @Override
    public V call() throws Exception {
      Object token = restoreFor(attribution);
      try {
        return delegate.call();
      } finally {
        exit(token);
      }
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /** Both key kinds compare by the identity of the task they stand for. */
  private interface IdentityKey {
    Object referent();
  }

  private static boolean sameReferent(Object self, Object mine, Object other) {
    if (self == other) {
      return true;
    }
    return mine != null && other instanceof IdentityKey && mine == ((IdentityKey) other).referent();
  }

  /** A map key that does not keep its task alive; equal to another key for the same object (identity). */
  private static final class WeakKey extends WeakReference<Object> implements IdentityKey {
    private final int hash;

    WeakKey(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public Object referent() {
      return get();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return sameReferent(this, get(), o);
    }
  }

  /** A short-lived key for lookups. */
  private static final class LookupKey implements IdentityKey {
    private final Object referent;
    private final int hash;

    LookupKey(Object referent) {
      this.referent = referent;
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public Object referent() {
      return referent;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return sameReferent(this, referent, o);
    }
  }
}
