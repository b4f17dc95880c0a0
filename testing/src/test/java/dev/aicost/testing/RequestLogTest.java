package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogTest {

  private static RecordedRequest request(int i) {
    return new RecordedRequest("POST", "/v1/chat/completions", null, java.util.Map.of(), "{\"n\":" + i + "}", Instant.now());
  }

  @Test
  void keepsEveryRequestByDefault() {
    RequestLog log = new RequestLog("test");
    for (int i = 0; i < 5_000; i++) {
      log.add(request(i));
    }
    assertThat(log.size()).isEqualTo(5_000);
  }

  /** A standalone server keeps the recent requests only, so that it runs in bounded memory however long it is used. */
  @Test
  void keepLastBoundsTheLogAndKeepsTheNewest() {
    RequestLog log = new RequestLog("test");
    log.keepLast(100);
    for (int i = 0; i < 10_000; i++) {
      log.add(request(i));
      assertThat(log.size()).isLessThan(200);
    }
    List<RecordedRequest> kept = log.all();
    assertThat(kept.size()).isBetween(100, 199);
    assertThat(kept.get(kept.size() - 1).body()).isEqualTo("{\"n\":9999}");
    assertThat(kept.get(0).body()).isEqualTo("{\"n\":" + (10_000 - kept.size()) + "}");
    assertThat(log.last().body()).isEqualTo("{\"n\":9999}");
  }
}
