package dev.aicost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aicost report}: cost per task type from task lines, and grouping by a custom key. */
class ReportTasksTest {

  private static String call(String customer, String user, String amount, String taskId) {
    return "{\"type\":\"call\",\"provider\":\"openai\",\"response_model\":\"gpt-4o\",\"usage\":{\"input_tokens\":10,"
        + "\"output_tokens\":1},\"priced\":true,\"cost\":{\"amount\":\"" + amount + "\",\"currency\":\"USD\"},"
        + "\"attribution\":{\"team\":\"support\",\"customer\":\"" + customer + "\",\"task\":\"answer-ticket\","
        + "\"task_id\":\"" + taskId + "\",\"attributes\":{\"user\":\"" + user + "\"}}}\n";
  }

  private static String task(String name, String amount, int calls, boolean complete) {
    return "{\"type\":\"task\",\"task_id\":\"0000000000000001\",\"task\":\"" + name + "\",\"calls\":" + calls
        + ",\"cost\":{\"amount\":\"" + amount + "\",\"currency\":\"USD\"},\"cost_complete\":" + complete
        + ",\"attribution\":{\"team\":\"support\"}}\n";
  }

  @Test
  void costPerTaskTypeWithExactMeanAndPercentiles(@TempDir Path dir) throws Exception {
    Path ledger = dir.resolve("tasks.jsonl");
    StringBuilder sb = new StringBuilder();
    sb.append(call("acme", "u1", "0.001", "a")).append(call("acme", "u2", "0.002", "a"));
    sb.append(call("globex", "u1", "0.0005", "b"));
    // ten answer-ticket tasks costing 0.001 .. 0.010, one with an unpriced call, two zero-cost cache hits
    for (String amount : new String[] {"0.004", "0.001", "0.010", "0.002", "0.003", "0.005", "0.006", "0.007",
        "0.008", "0.009"}) {
      sb.append(task("answer-ticket", amount, 2, true));
    }
    sb.append(task("answer-ticket", "0.5", 3, false));
    sb.append(task("cache-hit", "0", 0, true)).append(task("cache-hit", "0", 0, true));
    sb.append("{\"type\":\"budget_event\",\"budget\":\"x\"}\n");
    Files.writeString(ledger, sb.toString());

    MainTest.Run r = MainTest.run("report", ledger.toString(), "--by", "customer");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            """
            cost per task:
              task           tasks  calls  total    mean    p50   p95  currency  unpriced
              answer-ticket     11     23  0.055  0.0055  0.005  0.01  USD              1
              cache-hit          2      0      0       0      0     0  USD              0
              tasks with unpriced calls (or several currencies) are counted, not included in the statistics
            """)
        .contains("acme          2       2            20              2       0.003\n")
        .contains("1 line(s) of other types skipped");

    JsonNode json = MainTest.run("report", ledger.toString(), "--json").json();
    JsonNode answer = json.get("tasks").get(0);
    assertThat(answer.get("task").textValue()).isEqualTo("answer-ticket");
    assertThat(answer.get("tasks").longValue()).isEqualTo(11);
    assertThat(answer.get("incomplete_tasks").longValue()).isEqualTo(1);
    assertThat(answer.get("total").textValue()).isEqualTo("0.055");
    assertThat(answer.get("mean").textValue()).isEqualTo("0.0055");
    assertThat(answer.get("p50").textValue()).isEqualTo("0.005");
    assertThat(answer.get("p95").textValue()).isEqualTo("0.01");
    assertThat(json.get("skipped_lines").longValue()).isEqualTo(1);

    JsonNode byUser = MainTest.run("report", ledger.toString(), "--by", "attr.user", "--json").json();
    assertThat(byUser.get("groups").get(0).get("group").textValue()).isEqualTo("u2");
    assertThat(byUser.get("groups").get(1).get("group").textValue()).isEqualTo("u1");
    assertThat(byUser.get("groups").get(1).get("cost").get("USD").textValue()).isEqualTo("0.0015");
  }
}
