package dev.aicost.javaagent.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;

import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Reactor ({@code Mono}, {@code Flux}; Spring WebFlux, Spring AI streaming): registers a
 * {@code Schedulers.onScheduleHook} when reactor-core initializes, so every task a Reactor scheduler runs
 * ({@code subscribeOn}, {@code publishOn}, {@code delayElements}, {@code parallel().runOn}, timeouts) carries the
 * attribution in force where it was scheduled. {@code subscribeOn} schedules the subscription from the subscribing
 * thread and {@code publishOn} schedules each signal from the thread that emitted it (which carries the attribution
 * of its own scheduled task), so the subscriber's attribution reaches every operator downstream of a scheduler hop.
 *
 * <p>Reactor's documented extension point, no bytecode change to operators; reactor-core 3.1 and later. Signals
 * emitted by a thread outside Reactor's schedulers (a Netty event loop answering a WebClient request) carry that
 * thread's attribution until the next scheduler hop.
 */
public final class ReactorInstrumentationModule extends InstrumentationModule {

  static final String SCHEDULERS = "reactor.core.scheduler.Schedulers";

  public ReactorInstrumentationModule() {
    super("reactor");
  }

  @Override
  public String description() {
    return "io.projectreactor:reactor-core 3.1+";
  }

  @Override
  public List<String> landmarkClasses() {
    return Collections.singletonList(SCHEDULERS);
  }

  @Override
  public Set<String> typeNames() {
    return Collections.singleton(SCHEDULERS);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(
        new TypeInstrumentation(
            Collections.singleton(SCHEDULERS),
            Collections.singletonList(
                new MethodAdvice(
                    isTypeInitializer(), "dev.aicost.javaagent.instrumentation.reactor.SchedulersAdvice"))));
  }
}
