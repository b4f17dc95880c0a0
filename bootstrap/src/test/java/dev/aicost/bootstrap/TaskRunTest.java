package dev.aicost.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskRunTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AiCallSink sink =
      new AiCallSink() {
        @Override
        public AiCallHandle start(AiCallStart start) {
          return AiCallHandle.NOOP;
        }

        @Override
        public void taskStarted(TaskRun run) {
          events.add("start " + run.name());
          run.handle("span-of-" + run.name());
        }

        @Override
        public void taskEnded(TaskRun run) {
          events.add("end " + run.name() + " calls=" + run.calls() + " cost=" + run.picosByCurrency());
        }
      };

  @BeforeEach
  void install() {
    AiCallBridge.install(sink);
  }

  @AfterEach
  void uninstall() {
    AiCallBridge.uninstall(sink);
  }

  @Test
  void outermostTaskScopeOwnsTheSpendAndNestedTaskNamesAreIgnored() {
    TaskRun run;
    try (AttributionScope outer =
        AttributionContext.open(Attribution.builder().team("support").task("answer-ticket").build())) {
      run = outer.startedTask();
      assertThat(run).isNotNull();
      assertThat(run.handle()).isEqualTo("span-of-answer-ticket");
      assertThat(run.attribution().team()).isEqualTo("support");
      assertThat(run.attribution().taskRun()).isNull();
      try (AttributionScope inner =
          AttributionContext.open(Attribution.builder().feature("classify").task("classify").build())) {
        assertThat(inner.startedTask()).isNull();
        Attribution a = AttributionContext.current();
        assertThat(a.task()).isEqualTo("answer-ticket");
        assertThat(a.feature()).isEqualTo("classify");
        assertThat(a.taskRun()).isSameAs(run);
      }
      assertThat(run.callStarted()).isTrue();
      run.callEnded("USD", 1_500_000L, 100, 20, true, false);
      assertThat(run.isEnded()).isFalse();
    }
    assertThat(run.isEnded()).isTrue();
    assertThat(run.durationNanos()).isPositive();
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
    assertThat(events).containsExactly("start answer-ticket", "end answer-ticket calls=1 cost={USD=1500000}");
  }

  @Test
  void taskWaitsForCallsInFlightAndRefusesCallsAfterItEnded() {
    TaskRun run;
    try (AttributionScope s = AttributionContext.open(Attribution.builder().task("batch").build())) {
      run = s.startedTask();
      assertThat(run.callStarted()).isTrue();
      assertThat(run.callStarted()).isTrue();
      run.callEnded("USD", 3, 1, 1, true, false);
    }
    assertThat(run.isEnded()).as("one call still in flight").isFalse();
    run.callEnded(null, 0, 0, 0, false, false);
    assertThat(run.isEnded()).isTrue();
    assertThat(run.calls()).isEqualTo(2);
    assertThat(run.pricedCalls()).isEqualTo(1);
    assertThat(run.unpricedCalls()).isEqualTo(1);
    assertThat(run.callStarted()).as("a call after the end is not counted").isFalse();
    assertThat(events).hasSize(2);
  }

  @Test
  void aTaskScopeAfterAnEndedTaskStartsANewOne() {
    try (AttributionScope first = AttributionContext.open(Attribution.builder().task("a").build())) {
      Attribution captured = AttributionContext.current();
      first.close();
      try (AttributionScope r = AttributionContext.restore(captured);
          AttributionScope second = AttributionContext.open(Attribution.builder().task("b").build())) {
        assertThat(second.startedTask()).isNotNull();
        assertThat(AttributionContext.current().task()).isEqualTo("b");
      }
    }
  }

  @Test
  void costIsExactPerCurrencyAcrossManyThreads() throws Exception {
    TaskRun run;
    try (AttributionScope s = AttributionContext.open(Attribution.builder().task("fan-out").build())) {
      run = s.startedTask();
      Thread[] threads = new Thread[8];
      for (int t = 0; t < threads.length; t++) {
        threads[t] =
            new Thread(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    if (run.callStarted()) {
                      run.callEnded(i % 2 == 0 ? "USD" : "EUR", 7, 1, 2, true, false);
                    }
                  }
                });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    assertThat(run.calls()).isEqualTo(80_000);
    assertThat(run.picosByCurrency()).containsEntry("USD", 280_000L).containsEntry("EUR", 280_000L);
    assertThat(run.inputTokens()).isEqualTo(80_000);
    assertThat(run.outputTokens()).isEqualTo(160_000);
  }
}
