package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application with its own OpenTelemetry SDK (an older version than the agent's, on its class path), serving a
 * request that arrived with a {@code traceparent} and a {@code baggage} header. Its AI calls must join its trace;
 * the inbound {@code aicost.*} baggage is believed only for the trusted keys; an outgoing request that the
 * application propagates with its own {@code W3CBaggagePropagator} carries the aicost attribution.
 *
 * <p>Usage: {@code AppOpenTelemetryScenario <baseUrl>}
 */
public final class AppOpenTelemetryScenario {

  static final String INBOUND_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String INBOUND_PARENT_ID = "00f067aa0ba902b7";

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();
    Tracer tracer = tracerProvider.get("app");
    TextMapPropagator propagator =
        TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    Map<String, String> inbound = new LinkedHashMap<>();
    inbound.put("traceparent", "00-" + INBOUND_TRACE_ID + "-" + INBOUND_PARENT_ID + "-01");
    inbound.put("baggage", "aicost.team=evil-team,aicost.customer=acme,aicost.feature=spoofed,tenant=t-1");
    Context extracted = propagator.extract(Context.root(), inbound, GETTER);

    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test-secret-key").baseUrl(baseUrl).maxRetries(0).build();
    Span server = tracer.spanBuilder("GET /answer").setParent(extracted).setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope scope = extracted.with(server).makeCurrent()) {
      System.out.println("RESULT app_trace_id=" + server.getSpanContext().getTraceId());
      System.out.println("RESULT app_span_id=" + server.getSpanContext().getSpanId());
      client.chat().completions().create(AttributionScenarios.params("gpt-4o-mini", "Inbound only"));

      try (AiCostScope s = AiCost.attribute().team("search").feature("answer").open()) {
        Span clientSpan = tracer.spanBuilder("GET /v1/models").setSpanKind(SpanKind.CLIENT).startSpan();
        try (Scope c = clientSpan.makeCurrent()) {
          Map<String, String> headers = new LinkedHashMap<>();
          propagator.inject(Context.current(), headers, Map::put);
          System.out.println("RESULT outbound_baggage=" + headers.get("baggage"));
          HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/models")).GET();
          headers.forEach(request::header);
          HttpResponse<String> response =
              HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
          System.out.println("RESULT models_status=" + response.statusCode());
        } finally {
          clientSpan.end();
        }
        client.chat().completions().create(AttributionScenarios.params("gpt-4o-mini", "Scoped"));
      }
      // The application's own context was never changed: only what went on the wire.
      System.out.println(
          "RESULT app_baggage_team=" + io.opentelemetry.api.baggage.Baggage.current().getEntryValue("aicost.team"));
    } finally {
      server.end();
      client.close();
      tracerProvider.close();
    }
    System.out.println("RESULT otel_api=" + W3CBaggagePropagator.class.getProtectionDomain().getCodeSource().getLocation());
  }
}
