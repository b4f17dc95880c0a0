package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import dev.aicost.sdk.CostAttribute;
import dev.aicost.sdk.CostCenter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An application that spends from every kind of thread real code uses, run in a forked JVM with the agent. Each
 * path opens a scope with {@code team=team-<path>, feature=<path>} and makes its AI calls only inside the task it
 * hands to another thread, so a call lands on its path's team only if the attribution crossed over.
 *
 * <p>Usage: {@code AttributionScenarios <scenario> <baseUrl>}; prints {@code RESULT key=value} lines.
 */
public final class AttributionScenarios {

  private final OpenAIClient client;

  private AttributionScenarios(String baseUrl) {
    this.client =
        OpenAIOkHttpClient.builder().apiKey("sk-test-secret-key").baseUrl(baseUrl).maxRetries(0).build();
  }

  public static void main(String[] args) throws Exception {
    AttributionScenarios app = new AttributionScenarios(args[1]);
    try {
      app.run(args[0]);
    } finally {
      app.client.close();
    }
    System.out.println("RESULT done=" + args[0]);
  }

  /** One AI call; its cost is the same every time (short prompt: the mock never caches it). */
  void call() {
    client.chat().completions().create(params("gpt-4o-mini", "Classify this ticket"));
  }

  static ChatCompletionCreateParams params(String model, String prompt) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxCompletionTokens(20).build();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "propagation":
        propagation();
        break;
      case "pool-reuse":
        poolReuse();
        break;
      case "reactor":
        reactor();
        break;
      case "tasks":
        tasks();
        break;
      case "cost-attribute":
        costAttribute();
        break;
      case "threads-64":
        threads64();
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  /** Opens the path's scope, runs {@code body} in it, prints how many calls the path made. */
  private static void path(String name, int expectedCalls, ThrowingRunnable body) throws Exception {
    try (AiCostScope s = AiCost.attribute().team("team-" + name).feature(name).open()) {
      body.run();
    }
    System.out.println("RESULT path." + name + "=" + expectedCalls);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void propagation() throws Exception {
    ExecutorService fixed = Executors.newFixedThreadPool(2);
    ExecutorService cached = Executors.newCachedThreadPool();
    ExecutorService single = Executors.newSingleThreadExecutor();
    ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);
    ForkJoinPool forkJoin = new ForkJoinPool(2);
    ExecutorService workStealing = Executors.newWorkStealingPool(2);
    try {
      path("execute-lambda", 1, () -> await(fixed, latch -> fixed.execute(() -> {
        call();
        latch.countDown();
      })));
      path("execute-runnable", 1, () -> {
        CountDownLatch latch = new CountDownLatch(1);
        fixed.execute(new CallingRunnable(this, latch));
        latch.await();
      });
      path("submit-runnable", 1, () -> cached.submit(this::call).get());
      path("submit-callable", 1, () -> single.submit((Callable<String>) () -> {
        call();
        return "ok";
      }).get());
      path("invoke-all", 3, () -> {
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          tasks.add(Executors.callable(this::call));
        }
        for (Future<Object> f : fixed.invokeAll(tasks)) {
          f.get();
        }
      });
      path("invoke-any", 1, () -> fixed.invokeAny(List.of(() -> {
        call();
        return "ok";
      })));
      path("schedule", 1, () -> scheduled.schedule(this::call, 10, TimeUnit.MILLISECONDS).get());
      path("schedule-fixed-rate", 3, () -> {
        CountDownLatch runs = new CountDownLatch(3);
        ScheduledFuture<?> f =
            scheduled.scheduleAtFixedRate(
                () -> {
                  if (runs.getCount() > 0) {
                    call();
                    runs.countDown();
                  }
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        runs.await();
        f.cancel(false);
      });
      path("forkjoin-submit", 1, () -> forkJoin.submit(this::call).get());
      path("forkjoin-execute", 1, () -> await(forkJoin, latch -> forkJoin.execute(() -> {
        call();
        latch.countDown();
      })));
      path("work-stealing", 1, () -> workStealing.submit(this::call).get());
      path("recursive-action", 4, () -> ForkJoinPool.commonPool().invoke(new Split(this, 4)));
      path("parallel-stream", 6, () -> IntStream.range(0, 6).parallel().forEach(i -> call()));
      path("completable-supply-async", 1, () -> CompletableFuture.supplyAsync(() -> {
        call();
        return 1;
      }).get());
      path("completable-then-apply-async", 2, () -> CompletableFuture.supplyAsync(() -> {
        call();
        return 1;
      }, fixed).thenApplyAsync(x -> {
        call();
        return x + 1;
      }).get());
      path("completable-run-async-executor", 1, () -> CompletableFuture.runAsync(this::call, cached).get());
      if (Runtime.version().feature() >= 21) {
        path("virtual-thread", 1, () -> {
          Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
          Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
          ((Thread) start.invoke(builder, (Runnable) this::call)).join();
        });
        path("virtual-thread-executor", 2, () -> {
          ExecutorService v = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
          try {
            Future<?> a = v.submit(this::call);
            Future<?> b = v.submit(() -> {
              call();
              return null;
            });
            a.get();
            b.get();
          } finally {
            v.shutdown();
          }
        });
        path("start-virtual-thread", 1, () ->
            ((Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) this::call)).join());
      }
    } finally {
      for (ExecutorService e : List.of(fixed, cached, single, scheduled, forkJoin, workStealing)) {
        e.shutdownNow();
      }
    }
    System.out.println("RESULT java=" + Runtime.version().feature());
  }

  private static void await(ExecutorService e, java.util.function.Consumer<CountDownLatch> submit) throws Exception {
    CountDownLatch latch = new CountDownLatch(1);
    submit.accept(latch);
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("task did not run on " + e);
    }
  }

  /** A runnable of an ordinary class (the agent attaches to it rather than wrapping it). */
  static final class CallingRunnable implements Runnable {
    private final AttributionScenarios app;
    private final CountDownLatch latch;

    CallingRunnable(AttributionScenarios app, CountDownLatch latch) {
      this.app = app;
      this.latch = latch;
    }

    @Override
    public void run() {
      app.call();
      latch.countDown();
    }
  }

  /** Splits until one call per leaf; leaves run on pool workers (forked) and on the caller (computed directly). */
  static final class Split extends RecursiveAction {
    private final AttributionScenarios app;
    private final int n;

    Split(AttributionScenarios app, int n) {
      this.app = app;
      this.n = n;
    }

    @Override
    protected void compute() {
      if (n == 1) {
        app.call();
        return;
      }
      invokeAll(new Split(app, n / 2), new Split(app, n - n / 2));
    }
  }

  /**
   * A pooled thread never shows a previous task's attribution: on one single-thread pool of each kind, a task in
   * team {@code a}, then a task that leaves a scope open, then a task submitted outside any scope.
   */
  private void poolReuse() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    ScheduledExecutorService scheduled = Executors.newSingleThreadScheduledExecutor();
    ForkJoinPool forkJoin = new ForkJoinPool(1);
    ThreadPoolExecutor direct = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
    try {
      for (ExecutorService pool : List.of(single, scheduled, forkJoin, direct)) {
        try (AiCostScope s = AiCost.attribute().team("a").open()) {
          pool.submit(this::call).get();
          pool.submit(() -> {
            AiCost.attribute().team("leaked").open(); // never closed: must not reach the next task
            call();
          }).get();
        }
        pool.submit(this::call).get(); // outside any scope: unattributed
        pool.execute(new CallingRunnable(this, new CountDownLatch(1)));
        pool.submit(() -> {}).get(); // waits for the execute above on this one-thread pool
      }
      // The queued object is still the application's own: remove() finds it, shutdownNow() returns it.
      CountDownLatch block = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      direct.execute(() -> {
        blocking.countDown();
        try {
          block.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      blocking.await(); // the worker is busy: what follows stays in the queue
      Runnable queued = new CallingRunnable(this, new CountDownLatch(1));
      Runnable queued2 = new CallingRunnable(this, new CountDownLatch(1));
      try (AiCostScope s = AiCost.attribute().team("a").open()) {
        direct.execute(queued);
        direct.execute(queued2);
      }
      System.out.println("RESULT removed=" + direct.remove(queued));
      List<Runnable> pending = direct.shutdownNow(); // interrupts the blocked task; queued2 never runs
      block.countDown();
      System.out.println("RESULT shutdown_now_identity=" + (pending.size() == 1 && pending.get(0) == queued2));
    } finally {
      single.shutdownNow();
      scheduled.shutdownNow();
      forkJoin.shutdownNow();
      direct.shutdownNow();
    }
  }

  private void reactor() throws Exception {
    path("reactor-subscribe-on", 1, () -> Mono.fromRunnable(this::call).subscribeOn(Schedulers.boundedElastic()).block());
    path("reactor-publish-on", 3, () ->
        Flux.range(0, 3).publishOn(Schedulers.parallel()).doOnNext(i -> call()).then().block());
    path("reactor-hops", 2, () ->
        Mono.just(1)
            .subscribeOn(Schedulers.single())
            .doOnNext(i -> call())
            .publishOn(Schedulers.boundedElastic())
            .doOnNext(i -> call())
            .block());
    path("reactor-delay", 2, () -> Flux.range(0, 2).delayElements(java.time.Duration.ofMillis(5)).doOnNext(i -> call()).blockLast());
    path("reactor-parallel", 4, () ->
        Flux.range(0, 4).parallel(2).runOn(Schedulers.parallel()).doOnNext(i -> call()).sequential().blockLast());
    path("reactor-flat-map", 3, () ->
        Flux.range(0, 3)
            .flatMap(i -> Mono.fromCallable(() -> {
              call();
              return i;
            }).subscribeOn(Schedulers.boundedElastic()))
            .blockLast());
    // Declared in one scope, subscribed in another: the subscriber's attribution is what counts.
    Mono<Object> declared;
    try (AiCostScope s = AiCost.attribute().team("declaring-team").open()) {
      declared = Mono.fromRunnable(this::call).subscribeOn(Schedulers.parallel());
    }
    path("reactor-subscriber-wins", 1, declared::block);
    // A scheduler thread reused after a scoped task runs an unscoped one without attribution.
    Mono.fromRunnable(this::call).subscribeOn(Schedulers.single()).block();
  }

  /** Units of work: each answer-ticket task fans out to a pool and a parallel stream. */
  private void tasks() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    Support support = new Support(this, pool);
    try {
      for (int i = 0; i < 5; i++) {
        support.answerTicket(i % 3);
      }
      try (AiCostScope t = AiCost.task("summarize-thread")) {
        call();
        CompletableFuture.runAsync(this::call, pool).get();
        System.out.println("RESULT summarize_task_id=" + t.taskId());
      }
      try (AiCostScope t = AiCost.task("cache-hit")) {
        // no AI call at all: a zero-cost task still counts in the unit economics
      }
    } finally {
      pool.shutdown();
    }
  }

  @CostCenter(team = "support", agent = "ticket-bot")
  static final class Support {
    private final AttributionScenarios app;
    private final ExecutorService pool;

    Support(AttributionScenarios app, ExecutorService pool) {
      this.app = app;
      this.pool = pool;
    }

    @CostCenter(feature = "answer-ticket", task = "answer-ticket")
    void answerTicket(int extraCalls) throws Exception {
      app.call();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < extraCalls; i++) {
        futures.add(pool.submit(app::call));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      IntStream.range(0, 2).parallel().forEach(i -> classify());
    }

    @CostCenter(feature = "classify", task = "classify-ticket") // inside a task: its task name is ignored
    void classify() {
      app.call();
    }
  }

  private void costAttribute() {
    Tenants tenants = new Tenants(this);
    tenants.answer("acme", "t-1", 42);
    tenants.answer(null, "t-2", 7);
    tenants.plain("globex");
  }

  @CostCenter(team = "support", customer = "class-default")
  static final class Tenants {
    private final AttributionScenarios app;

    Tenants(AttributionScenarios app) {
      this.app = app;
    }

    @CostCenter(feature = "answer", customer = "method-default")
    void answer(@CostAttribute("customer") String customer, @CostAttribute("tenant") String tenant, int unrelated) {
      app.call();
      new Experiments(app).nested(new Object() {
        @Override
        public String toString() {
          return "exp-" + unrelated;
        }
      });
    }

    void plain(@CostAttribute("customer") String customer) {
      app.call();
    }
  }

  /** No {@code @CostCenter} here: the parameter annotation alone opens a scope. */
  static final class Experiments {
    private final AttributionScenarios app;

    Experiments(AttributionScenarios app) {
      this.app = app;
    }

    void nested(@CostAttribute("experiment") Object experiment) {
      app.call();
    }
  }

  /** 64 threads, each in its own team, many calls each, all at once. */
  private void threads64() throws Exception {
    int threads = 64;
    int callsEach = Integer.getInteger("calls.each", 10);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger failures = new AtomicInteger();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String team = "team-" + t;
      Thread thread =
          new Thread(
              () -> {
                try (AiCostScope s = AiCost.attribute().team(team).open()) {
                  start.await();
                  for (int i = 0; i < callsEach; i++) {
                    call();
                  }
                } catch (Throwable e) {
                  failures.incrementAndGet();
                  e.printStackTrace();
                }
              },
              "worker-" + t);
      thread.start();
      all.add(thread);
    }
    start.countDown();
    for (Thread t : all) {
      t.join();
    }
    System.out.println("RESULT failures=" + failures.get() + " calls=" + threads * callsEach);
  }
}
