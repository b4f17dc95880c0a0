package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/**
 * An application run with the OpenTelemetry Java agent and the aicost agent together. It creates its request span
 * through {@code GlobalOpenTelemetry} (which the OpenTelemetry agent provides) and makes an AI call inside it.
 *
 * <p>Usage: {@code OtelAgentScenario <baseUrl>}
 */
public final class OtelAgentScenario {

  public static void main(String[] args) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test-secret-key").baseUrl(args[0]).maxRetries(0).build();
    Span request = GlobalOpenTelemetry.getTracer("app").spanBuilder("handle request").startSpan();
    try (Scope s = request.makeCurrent();
        AiCostScope team = AiCost.attribute().team("search").open()) {
      System.out.println("RESULT app_trace_id=" + request.getSpanContext().getTraceId());
      System.out.println("RESULT app_span_id=" + request.getSpanContext().getSpanId());
      client.chat().completions().create(AttributionScenarios.params("gpt-4o-mini", "Two agents"));
    } finally {
      request.end();
      client.close();
    }
  }
}
