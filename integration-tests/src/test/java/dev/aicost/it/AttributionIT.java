package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @CostCenter} and SDK scopes, applied by the agent to the application's own classes. */
class AttributionIT extends AgentIntegrationTest {

  @Test
  void costCenterAndScopesAttributeEveryCall() {
    AgentRun run = harness.runOpenAi("cost-center").succeeded();
    assertThat(run.results()).containsEntry("scope_after", "true");
    List<JsonNode> lines = run.calls();
    assertThat(lines).hasSize(4);
    // answerTicket is a task: its two calls roll up into one task line, exactly.
    JsonNode task = run.tasks().get(0);
    assertThat(run.tasks()).hasSize(1);
    assertThat(task.get("task").asText()).isEqualTo("answer-ticket");
    assertThat(task.get("calls").asLong()).isEqualTo(2);
    assertThat(new java.math.BigDecimal(task.get("cost").get("amount").asText()))
        .isEqualByComparingTo(
            new java.math.BigDecimal(lines.get(0).get("cost").get("amount").asText())
                .add(new java.math.BigDecimal(lines.get(1).get("cost").get("amount").asText())));

    // Support.answerTicket: class-level team/agent + method-level feature/task/custom key
    JsonNode answer = lines.get(0).get("attribution");
    assertThat(answer.get("team").asText()).isEqualTo("support");
    assertThat(answer.get("agent").asText()).isEqualTo("ticket-bot");
    assertThat(answer.get("feature").asText()).isEqualTo("answer-ticket");
    assertThat(answer.get("task").asText()).isEqualTo("answer-ticket");
    assertThat(answer.get("attributes").get("tenant").asText()).isEqualTo("acme");

    // Support.classify called from answerTicket: its feature overrides, the rest is inherited
    JsonNode classify = lines.get(1).get("attribution");
    assertThat(classify.get("team").asText()).isEqualTo("support");
    assertThat(classify.get("feature").asText()).isEqualTo("classify");
    assertThat(classify.get("task").asText()).isEqualTo("answer-ticket");
    assertThat(classify.get("attributes").get("tenant").asText()).isEqualTo("acme");
    assertThat(lines.get(1).get("request_model").asText()).isEqualTo("gpt-4o-mini");

    // Billing.invoice: embeddings under another team; nothing leaks from the previous scopes
    JsonNode invoice = lines.get(2).get("attribution");
    assertThat(lines.get(2).get("operation").asText()).isEqualTo("embeddings");
    assertThat(invoice.get("team").asText()).isEqualTo("billing");
    assertThat(invoice.get("experiment").asText()).isEqualTo("exp-42");
    assertThat(invoice.get("agent").isNull()).isTrue();
    assertThat(invoice.get("task").isNull()).isTrue();

    // A scope opened through the SDK jar reaches the agent's instrumentation
    JsonNode scoped = lines.get(3).get("attribution");
    assertThat(scoped.get("team").asText()).isEqualTo("platform");
    assertThat(scoped.get("feature").asText()).isEqualTo("batch-jobs");
    assertThat(scoped.get("customer").asText()).isEqualTo("acme");

    ReceivedSpan span = harness.otlp().awaitSpan(s -> "classify".equals(s.attributes().get("aicost.feature")), Duration.ofSeconds(10));
    assertThat(span.attributes())
        .containsEntry("aicost.team", "support")
        .containsEntry("aicost.agent", "ticket-bot")
        .containsEntry("aicost.task", "answer-ticket")
        .containsEntry("aicost.attr.tenant", "acme");

    MetricPoint billing = harness.otlp().awaitMetric(
        "aicost.spend", p -> "billing".equals(p.attribute("aicost.team")), Duration.ofSeconds(10));
    assertThat(billing.attributes()).containsEntry("aicost.feature", "invoice").containsEntry("aicost.experiment", "exp-42");
  }
}
