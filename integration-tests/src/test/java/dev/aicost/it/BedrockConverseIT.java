package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.BedrockReply;
import dev.aicost.testing.BedrockUsage;
import dev.aicost.testing.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Converse and ConverseStream through the real AWS SDK Bedrock Runtime clients, metered in a forked JVM. */
class BedrockConverseIT extends BedrockIntegrationTest {

  static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

  @Test
  void syncConverseIsOneClientSpanWithUsage() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1200, 80)));

    AgentRun run = runBedrock("converse", HAIKU).succeeded();

    assertThat(run.results()).containsEntry("input_tokens", "1200").containsEntry("output_tokens", "80");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    Map<String, Object> a = span.attributes();
    assertThat(a)
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.request.model", HAIKU)
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("gen_ai.response.id", run.results().get("request_id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) bedrock.port())
        .containsEntry("gen_ai.usage.input_tokens", 1200L)
        .containsEntry("gen_ai.usage.output_tokens", 80L)
        .containsEntry("aicost.usage.available", true);
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("provider").asText()).isEqualTo("aws.bedrock");
    System.out.println(line);
    System.out.println(a);
  }
}
