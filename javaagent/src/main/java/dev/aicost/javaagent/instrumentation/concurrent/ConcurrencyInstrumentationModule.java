package dev.aicost.javaagent.instrumentation.concurrent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Carries attribution across the JDK's concurrency: {@code ThreadPoolExecutor} (every fixed, cached and single-thread
 * executor), {@code ScheduledThreadPoolExecutor}, {@code ForkJoinPool} and every {@code ForkJoinTask} (parallel
 * streams, {@code CompletableFuture} async stages, {@code RecursiveTask}), thread-per-task executors and virtual
 * threads. See {@code dev.aicost.bootstrap.TaskAttributions} for the two mechanisms and why identity is preserved
 * where the JDK exposes the queued task.
 *
 * <p>Plain {@code new Thread(r).start()} is deliberately not covered: pools create their worker threads that way, in
 * whatever scope submitted the first task, and the worker would keep that attribution for its whole life.
 */
public final class ConcurrencyInstrumentationModule extends InstrumentationModule {

  private static final String P = "dev.aicost.javaagent.instrumentation.concurrent.";
  static final String THREAD_POOL_EXECUTOR = "java.util.concurrent.ThreadPoolExecutor";
  static final String SCHEDULED_THREAD_POOL_EXECUTOR = "java.util.concurrent.ScheduledThreadPoolExecutor";
  static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";
  static final String COMPLETABLE_FUTURE_THREAD_PER_TASK = "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor";
  static final String THREAD_PER_TASK_EXECUTOR = "java.util.concurrent.ThreadPerTaskExecutor";
  /**
   * Where every virtual thread is created ({@code newVirtualThread}, JDK 21+). Not {@code java.lang.VirtualThread}
   * itself: the JVM resolves that class from a JDK 25 ahead-of-time cache at start, and a retransformed copy, which
   * the cache must leave out, crashed the cache's assembly (docs/attribution.md#jdk-ahead-of-time-caches-jdk-24).
   */
  static final String THREAD_BUILDERS = "java.lang.ThreadBuilders";

  public ConcurrencyInstrumentationModule() {
    super("concurrency");
  }

  @Override
  public String description() {
    return "java.util.concurrent executors, fork/join, CompletableFuture, virtual threads";
  }

  @Override
  public List<String> landmarkClasses() {
    return Collections.emptyList();
  }

  @Override
  public List<String> jdkTypes() {
    return Arrays.asList(
        THREAD_POOL_EXECUTOR,
        SCHEDULED_THREAD_POOL_EXECUTOR,
        FORK_JOIN_TASK,
        COMPLETABLE_FUTURE_THREAD_PER_TASK,
        THREAD_PER_TASK_EXECUTOR,
        THREAD_BUILDERS);
  }

  @Override
  public Set<String> typeNames() {
    return new LinkedHashSet<>(jdkTypes());
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    // By name, not Runnable.class: describing a loaded class initializes Byte Buddy's reflection layer (~75 ms when it
    // was done in premain, docs/performance.md#start-up); a name matcher costs nothing.
    ElementMatcher<TypeDescription> runnable = named("java.lang.Runnable");
    return Arrays.asList(
        new TypeInstrumentation(
            Collections.singleton(THREAD_POOL_EXECUTOR),
            Collections.singletonList(
                new MethodAdvice(
                    named("execute").and(takesArguments(1)).and(takesArgument(0, runnable)),
                    P + "ExecuteAdvice")),
            Collections.<VisitorFactory>singletonList(ConcurrencyInstrumentationModule::runWorkerSubstitution)),
        new TypeInstrumentation(
            Collections.singleton(SCHEDULED_THREAD_POOL_EXECUTOR),
            Collections.singletonList(
                new MethodAdvice(named("delayedExecute").and(takesArguments(1)), P + "AttachArgumentAdvice"))),
        new TypeInstrumentation(
            Collections.singleton(FORK_JOIN_TASK),
            Arrays.asList(
                new MethodAdvice(isConstructor(), P + "ForkJoinTaskCreatedAdvice"),
                new MethodAdvice(named("doExec").and(takesArguments(0)), P + "ForkJoinTaskExecAdvice"))),
        new TypeInstrumentation(
            Arrays.asList(COMPLETABLE_FUTURE_THREAD_PER_TASK, THREAD_PER_TASK_EXECUTOR),
            Collections.singletonList(
                new MethodAdvice(
                    named("execute")
                        .and(isDeclaredBy(named(COMPLETABLE_FUTURE_THREAD_PER_TASK)))
                        .or(named("newThread").and(isDeclaredBy(named(THREAD_PER_TASK_EXECUTOR))))
                        .and(takesArguments(1))
                        .and(takesArgument(0, runnable)),
                    P + "ThreadBodyAdvice"))),
        new TypeInstrumentation(
            Collections.singleton(THREAD_BUILDERS),
            Collections.singletonList(
                new MethodAdvice(
                    named("newVirtualThread").and(isStatic()).and(takesArguments(4)).and(takesArgument(3, runnable)),
                    P + "VirtualThreadAdvice"))));
  }

  /**
   * In {@code ThreadPoolExecutor.runWorker}, {@code task.run()} becomes {@code TaskAttributions.run(task)}: every
   * task a pool worker runs gets exactly the attribution it carries, and none when it carries none, so a reused
   * thread never leaks a previous task's attribution. Only the worker loop changes; the queued task stays the
   * application's own object.
   */
  static AsmVisitorWrapper runWorkerSubstitution(TypePool agentTypes) {
    return new AsmVisitorWrapper.ForDeclaredMethods()
        .method(
            named("runWorker"),
            (type, method, visitor, context, pool, writerFlags, readerFlags) -> new RunnableRunSubstitution(visitor));
  }

  /**
   * Replaces {@code invokeinterface Runnable.run()V} with {@code invokestatic TaskAttributions.run(Runnable)V}: the
   * same operand stack before and after, so nothing else in the method changes. A plain ASM visitor rather than Byte
   * Buddy's {@code MemberSubstitution}, which resolves the method graph of the owner of every call in the method:
   * about 100 ms of the first weave of {@code ThreadPoolExecutor} at start-up (docs/performance.md#start-up).
   */
  static final class RunnableRunSubstitution extends MethodVisitor {
    static final String TASK_ATTRIBUTIONS = "dev/aicost/bootstrap/TaskAttributions";

    RunnableRunSubstitution(MethodVisitor delegate) {
      super(OpenedClassReader.ASM_API, delegate);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
      if (opcode == Opcodes.INVOKEINTERFACE
          && owner.equals("java/lang/Runnable")
          && name.equals("run")
          && descriptor.equals("()V")) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, TASK_ATTRIBUTIONS, "run", "(Ljava/lang/Runnable;)V", false);
      } else {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
      }
    }
  }
}
