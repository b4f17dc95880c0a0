package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aicost.testing.GeminiReply;
import dev.aicost.testing.GeminiUsage;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.MockGeminiServer;
import dev.aicost.testing.ReceivedSpan;
import dev.aicost.testing.RecordedRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * google-genai (Gemini API and Vertex AI) through the real client in a forked JVM with the agent: spans as received
 * over OTLP and the cost ledger, checked field by field against hand-computed prices. Runs against the google-genai
 * of {@code -Dit.genai.version} (the newest supported by default; CI also runs the oldest).
 *
 * <p>Prices used (USD per 1M tokens, catalog 2026.11.28, from ai.google.dev/gemini-api/docs/pricing and
 * cloud.google.com/vertex-ai/generative-ai/pricing): gemini-2.5-flash input 0.30, cached 0.03, audio input 1.00,
 * output 2.50 (thinking billed as output), on both APIs; gemini-2.5-pro on Vertex AI, prompts over 200K tokens:
 * input 2.50, cached 0.25, output 15.00; gemini-3.5-flash on Vertex AI, regional endpoint 1.65 / 9.90, global
 * endpoint 1.50 / 9.00; gemini-embedding-001 0.15.
 */
class GenAiIT extends AgentIntegrationTest {

  static final String API_KEY = "AIza-test-secret-key";
  static final String ACCESS_TOKEN = "ya29.test-secret-token";
  static final ObjectMapper JSON = new ObjectMapper();

  static MockGeminiServer gemini;

  @BeforeAll
  static void startGemini() {
    gemini = MockGeminiServer.builder().requireApiKey(API_KEY).requireAccessToken(ACCESS_TOKEN).start();
  }

  @AfterAll
  static void stopGemini() {
    gemini.close();
  }

  @BeforeEach
  void resetGemini() {
    gemini.reset();
  }

  static AgentRun run(String scenario) {
    return harness.run("dev.aicost.it.app.GenAiScenarios", Map.of(), scenario, gemini.baseUrl());
  }

  /** The google-genai version the forked app runs, e.g. {@code 2.3.0}. */
  static int[] genaiVersion() {
    String[] parts = System.getProperty("it.genai.version", "0.0.0").split("\\.");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }

  static boolean atLeast(int major, int minor) {
    int[] v = genaiVersion();
    return v[0] > major || (v[0] == major && v[1] >= minor);
  }

  static List<ReceivedSpan> spans(int count) {
    harness.otlp().awaitSpans(count, WAIT);
    List<ReceivedSpan> spans = harness.otlp().spans();
    assertThat(spans).hasSize(count);
    return spans.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
  }

  @Test
  void generateContentIsOneSpanWithNormalizedUsageAndExactCost() {
    gemini.enqueue(
        GeminiReply.usage(
            GeminiUsage.of(1200, 50).withCached(1000).withThoughts(150).withToolUsePrompt(30).withAudio(100, 40, 0)));

    AgentRun run = run("generate-sync").succeeded();

    assertThat(run.results()).containsEntry("prompt_tokens", "1200").containsEntry("candidates_tokens", "50");
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);
    assertThat(span.scopeName()).isEqualTo("dev.aicost");
    // input = prompt 1200 (cached included) + tool-use prompt 30; output = candidates 50 + thoughts 150;
    // audio = prompt audio 100 - cached audio 40.
    // Cost: uncached text (1230 - 1000 - 60) x 0.30 = 51, cached 1000 x 0.03 = 30, audio 60 x 1.00 = 60,
    // output 200 x 2.50 = 500: 641 micro-USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "generate_content")
        .containsEntry("gen_ai.provider.name", "gcp.gemini")
        .containsEntry("gen_ai.request.model", "gemini-2.5-flash")
        .containsEntry("gen_ai.response.model", "gemini-2.5-flash")
        .containsEntry("gen_ai.response.id", run.results().get("response_id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) gemini.port())
        .containsEntry("gen_ai.usage.input_tokens", 1230L)
        .containsEntry("gen_ai.usage.output_tokens", 200L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 0L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 150L)
        .containsEntry("aicost.usage.audio.input_tokens", 60L)
        .containsEntry("aicost.usage.available", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.000641)
        .containsEntry("gen_ai.usage.cost.currency", "USD")
        .containsEntry("gen_ai.usage.cost.source", "local")
        .containsEntry("aicost.cost.input", 0.000051)
        .containsEntry("aicost.cost.cache_read", 0.00003)
        .containsEntry("aicost.cost.audio_input", 0.00006)
        .containsEntry("aicost.cost.output", 0.0005)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "gcp.gemini/gemini-2.5-flash")
        .containsEntry("aicost.pricing.tier", "standard")
        .containsKey("aicost.pricing.catalog_version")
        .doesNotContainKey("aicost.service_tier")
        .doesNotContainKey("aicost.usage.audio.output_tokens")
        .doesNotContainKey("error.type");

    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("trace_id").asText()).isEqualTo(span.traceId());
    assertThat(line.get("span_id").asText()).isEqualTo(span.spanId());
    assertThat(line.get("kind").asText()).isEqualTo("llm");
    assertThat(line.get("provider").asText()).isEqualTo("gcp.gemini");
    assertThat(line.get("operation").asText()).isEqualTo("generate_content");
    assertThat(line.get("request_model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(line.get("response_model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(line.get("response_id").asText()).isEqualTo(run.results().get("response_id"));
    assertThat(line.get("stream").asBoolean()).isFalse();
    assertThat(line.get("service_tier").asText()).isEqualTo("standard");
    assertThat(line.get("server_address").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("error_type").isNull()).isTrue();
    JsonNode usage = line.get("usage");
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(1230);
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(200);
    assertThat(usage.get("cache_read_tokens").asLong()).isEqualTo(1000);
    assertThat(usage.get("cache_write_5m_tokens").asLong()).isZero();
    assertThat(usage.get("cache_write_1h_tokens").asLong()).isZero();
    assertThat(usage.get("reasoning_tokens").asLong()).isEqualTo(150);
    assertThat(usage.get("audio_input_tokens").asLong()).isEqualTo(60);
    assertThat(usage.get("audio_output_tokens").asLong()).isZero();
    assertThat(usage.get("image_input_tokens").asLong()).isZero();
    assertThat(usage.get("web_search_calls").asLong()).isZero();
    JsonNode cost = line.get("cost");
    assertThat(cost.get("amount").asText()).isEqualTo("0.000641");
    assertThat(cost.get("currency").asText()).isEqualTo("USD");
    assertThat(cost.get("breakdown").get("input").asText()).isEqualTo("0.000051");
    assertThat(cost.get("breakdown").get("cache_read").asText()).isEqualTo("0.00003");
    assertThat(cost.get("breakdown").get("audio_input").asText()).isEqualTo("0.00006");
    assertThat(cost.get("breakdown").get("output").asText()).isEqualTo("0.0005");
    assertThat(line.get("priced").asBoolean()).isTrue();
    assertThat(line.get("unpriced_reason").isNull()).isTrue();
    assertThat(line.get("pricing_entry").asText()).isEqualTo("gcp.gemini/gemini-2.5-flash");
    assertThat(line.get("pricing_tier").asText()).isEqualTo("standard");
    assertThat(line.get("attribution").get("team").asText()).isEqualTo("unattributed");
    assertThat(line.get("attribution").get("owner").asText()).isEqualTo("aicost-it");

    MetricPoint input = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "input".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(input.sum()).isEqualTo(1230.0);
    assertThat(input.attributes())
        .containsEntry("gen_ai.operation.name", "generate_content")
        .containsEntry("gen_ai.provider.name", "gcp.gemini")
        .containsEntry("gen_ai.request.model", "gemini-2.5-flash");
    MetricPoint spend = harness.otlp().awaitMetric("aicost.spend", WAIT);
    assertThat(spend.doubleValue()).isEqualTo(0.000641);
    assertThat(spend.attributes()).containsEntry("gen_ai.provider.name", "gcp.gemini");

    assertThat(gemini.lastRequest().header("x-goog-api-key")).contains(API_KEY);
    String everything = span.attributes().toString() + run.ledgerText() + run.stderr();
    assertThat(everything)
        .doesNotContain(API_KEY)
        .doesNotContain("capital of France")
        .doesNotContain(run.results().get("text"));
  }

  @Test
  void asyncGenerateContentStripsTheResourcePrefixAndIsPricedFromTheFormula() {
    AgentRun run = run("generate-async").succeeded();

    assertThat(run.results()).containsEntry("prompt_tokens", "4").containsEntry("candidates_tokens", "20");
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    // "Async question": 14 characters = 4 tokens; 20 output tokens. 4 x 0.30 + 20 x 2.50 = 51.2 micro-USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.model", "gemini-2.5-flash")
        .containsEntry("gen_ai.usage.input_tokens", 4L)
        .containsEntry("gen_ai.usage.output_tokens", 20L)
        .containsEntry("gen_ai.usage.cost.amount", 0.0000512);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0000512");
    assertThat(gemini.lastRequest().path()).endsWith("/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void eachTurnOfAChatIsItsOwnCall() {
    AgentRun run = run("chat").succeeded();

    List<ReceivedSpan> spans = spans(2);
    // Turn 1: "First turn" = 3 tokens. Turn 2: history 3 + answer 8 (32 characters) + "Second turn" 3 = 14.
    assertThat(spans.get(0).longAttribute("gen_ai.usage.input_tokens")).contains(3L);
    assertThat(spans.get(1).longAttribute("gen_ai.usage.input_tokens")).contains(14L);
    assertThat(spans).allSatisfy(s -> assertThat(s.longAttribute("gen_ai.usage.output_tokens")).contains(8L));
    assertThat(run.ledger()).hasSize(2);
  }

  @Test
  void streamIsMeteredFromTheFinalChunk() {
    AgentRun run = run("stream-sync").succeeded();

    assertThat(run.results()).containsEntry("chunks", "3").containsEntry("text_length", "40");
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    // "Stream me a haiku" = 5 tokens, 10 output: 5 x 0.30 + 10 x 2.50 = 26.5 micro-USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.id", run.results().get("response_id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 5L)
        .containsEntry("gen_ai.usage.output_tokens", 10L)
        .containsEntry("gen_ai.usage.cost.amount", 0.0000265)
        .containsEntry("aicost.usage.available", true);
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("stream").asBoolean()).isTrue();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0000265");
    assertThat(gemini.lastRequest().query()).isEqualTo("alt=sse");
  }

  @Test
  void asyncStreamIsMeteredFromTheFinalChunk() {
    AgentRun run = run("stream-async").succeeded();

    assertThat(run.results()).containsEntry("chunks", "3");
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    // "Async stream" = 3 tokens, 10 output: 3 x 0.30 + 10 x 2.50 = 25.9 micro-USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.input_tokens", 3L)
        .containsEntry("gen_ai.usage.output_tokens", 10L)
        .containsEntry("gen_ai.usage.cost.amount", 0.0000259);
  }

  @Test
  void aStreamClosedEarlyIsCancelledWithoutInventedUsage() {
    AgentRun run = run("stream-early-close").succeeded();

    assertThat(run.results()).containsEntry("first_chunk", "16").containsEntry("closed", "true");
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.end_reason", "stream_closed_early")
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "stream_closed_early")
        .containsEntry("aicost.priced", false)
        .containsEntry("aicost.unpriced_reason", "usage_unavailable")
        .doesNotContainKey("gen_ai.usage.input_tokens")
        .doesNotContainKey("error.type");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("end_reason").asText()).isEqualTo("stream_closed_early");
    assertThat(line.get("usage").isNull()).isTrue();
    assertThat(line.get("cost").isNull()).isTrue();
  }

  @Test
  void streamFailuresEndTheCallWithTheirErrorType() {
    gemini.enqueue(
        GeminiReply.errorEvent(1, 503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
        GeminiReply.cutStream(2));

    AgentRun run = run("stream-failure").succeeded();

    List<ReceivedSpan> spans = spans(2);
    if (atLeast(2, 0)) {
      // google-genai 2.x throws the error event as an ApiException with its code
      assertThat(run.resultLines()).contains("RESULT error_code=503");
      assertThat(spans.get(0).attributes())
          .containsEntry("error.type", "503")
          .containsEntry("aicost.usage.unavailable_reason", "stream_failed")
          .containsEntry("aicost.priced", false);
      assertThat(spans.get(0).statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    } else {
      // 1.x hands the error event on as an empty chunk: the application sees no error, and the call has no final
      // chunk, so its running usage is not taken for the billed one
      assertThat(run.resultLines()).contains("RESULT chunks=2").doesNotContain("RESULT error_code=503");
      assertThat(spans.get(0).attributes())
          .containsEntry("aicost.usage.unavailable_reason", "stream_ended_without_final_chunk")
          .containsEntry("aicost.priced", false)
          .doesNotContainKey("error.type");
    }
    assertThat(spans.get(1).attributes())
        .containsEntry("error.type", "com.google.genai.errors.GenAiIOException")
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed");
    assertThat(spans.get(1).statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(run.ledger().get(1).get("error_type").asText()).isEqualTo("com.google.genai.errors.GenAiIOException");
  }

  @Test
  void apiErrorsCarryTheirHttpStatusSyncAsyncAndStreaming() {
    gemini.enqueue(
        GeminiReply.resourceExhausted(),
        GeminiReply.internalError(),
        GeminiReply.error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));

    AgentRun run = run("errors").succeeded();

    assertThat(run.resultLines())
        .contains("RESULT error_code=429", "RESULT error_code=500", "RESULT error_code=400");
    List<ReceivedSpan> spans = spans(3);
    assertThat(spans).extracting(s -> s.stringAttribute("error.type").orElseThrow()).containsExactly("429", "500", "400");
    assertThat(spans).extracting(s -> s.booleanAttribute("gen_ai.request.stream").orElseThrow())
        .containsExactly(false, false, true);
    assertThat(spans).allSatisfy(s -> {
      assertThat(s.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
      assertThat(s.attributes())
          .containsEntry("aicost.usage.available", false)
          .containsEntry("aicost.usage.unavailable_reason", "error")
          .containsEntry("aicost.priced", false);
    });
    assertThat(run.ledger()).extracting(l -> l.get("error_type").asText()).containsExactly("429", "500", "400");
  }

  @Test
  void eachRequestOfAnAutomaticContinuationIsBilledOnItsOwn() {
    assumeThat(atLeast(2, 0)).as("automatic continuation exists since google-genai 2.0").isTrue();
    gemini.enqueue(
        GeminiReply.usage(GeminiUsage.of(100, 10)).withContinuation("AQID"),
        GeminiReply.usage(GeminiUsage.of(120, 5)),
        GeminiReply.usage(GeminiUsage.of(200, 8)).withContinuation("BAUG"),
        GeminiReply.usage(GeminiUsage.of(230, 4)));

    AgentRun run = run("continuation").succeeded();

    assertThat(gemini.requests()).hasSize(4);
    List<ReceivedSpan> spans = spans(4);
    // Each HTTP request with its own usage, as Google bills them (the SDK merges them for the application).
    assertThat(spans).extracting(s -> s.longAttribute("gen_ai.usage.input_tokens").orElseThrow())
        .containsExactly(100L, 120L, 200L, 230L);
    assertThat(spans).extracting(s -> s.longAttribute("gen_ai.usage.output_tokens").orElseThrow())
        .containsExactly(10L, 5L, 8L, 4L);
    assertThat(spans).extracting(s -> s.booleanAttribute("gen_ai.request.stream").orElseThrow())
        .containsExactly(false, false, true, true);
    assertThat(spans.get(0).attributes()).containsEntry("gen_ai.response.finish_reasons", List.of("continuation"));
    // 100 x 0.30 + 10 x 2.50 = 55 micro-USD, then 36 + 12.5, 60 + 20, 69 + 10
    assertThat(run.ledger()).extracting(l -> l.get("cost").get("amount").asText())
        .containsExactly("0.000055", "0.0000485", "0.00008", "0.000079");
  }

  @Test
  void aRetriedRequestIsOneCall() {
    assumeThat(atLeast(1, 25)).as("google-genai retries since 1.25").isTrue();
    gemini.enqueue(GeminiReply.resourceExhausted());

    AgentRun run = run("retry").succeeded();

    assertThat(run.results()).containsEntry("retries_configurable", "true");
    assertThat(gemini.requests()).hasSize(2);
    ReceivedSpan span = spans(1).get(0);
    assertThat(span.attributes()).doesNotContainKey("error.type").containsEntry("aicost.priced", true);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void eachRequestOfTheAutomaticFunctionCallingLoopIsBilledOnItsOwn() throws Exception {
    automaticFunctionCalling("afc-sync");
  }

  @Test
  void eachRequestOfTheAsyncAutomaticFunctionCallingLoopIsBilledOnItsOwn() throws Exception {
    automaticFunctionCalling("afc-async");
  }

  private void automaticFunctionCalling(String scenario) throws Exception {
    gemini.enqueue(GeminiReply.functionCall("weather", "{\"city\":\"Paris\"}"), GeminiReply.text("It is sunny."));

    AgentRun run = run(scenario).succeeded();

    assertThat(run.results()).containsEntry("text", "It is sunny.");
    List<RecordedRequest> requests = gemini.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).body()).contains("functionResponse").contains("Sunny, 24 degrees in Paris");
    long prompt1 = MockGeminiServer.promptTokens(JSON.readTree(requests.get(0).body()));
    long prompt2 = MockGeminiServer.promptTokens(JSON.readTree(requests.get(1).body()));
    assertThat(prompt2).isGreaterThan(prompt1);
    List<ReceivedSpan> spans = spans(2);
    // Request 1 answers with the function call {"name":"weather","args":{"city":"Paris"}} (41 chars = 11 tokens);
    // request 2 with "It is sunny." (3 tokens).
    assertThat(spans.get(0).longAttribute("gen_ai.usage.input_tokens")).contains(prompt1);
    assertThat(spans.get(0).longAttribute("gen_ai.usage.output_tokens")).contains(11L);
    assertThat(spans.get(1).longAttribute("gen_ai.usage.input_tokens")).contains(prompt2);
    assertThat(spans.get(1).longAttribute("gen_ai.usage.output_tokens")).contains(3L);
    assertThat(spans.get(0).stringAttribute("gen_ai.response.id"))
        .isNotEqualTo(spans.get(1).stringAttribute("gen_ai.response.id"));
    List<JsonNode> ledger = run.ledger();
    assertThat(ledger).hasSize(2);
    // prompt x 0.30 + output x 2.50 per request, in micro-USD
    assertThat(new java.math.BigDecimal(ledger.get(0).get("cost").get("amount").asText()))
        .isEqualByComparingTo(micro(prompt1 * 30 + 11 * 250, 2));
    assertThat(new java.math.BigDecimal(ledger.get(1).get("cost").get("amount").asText()))
        .isEqualByComparingTo(micro(prompt2 * 30 + 3 * 250, 2));
  }

  /** {@code hundredths} of a micro-unit with {@code scale} decimals, as USD. */
  private static java.math.BigDecimal micro(long hundredths, int scale) {
    return java.math.BigDecimal.valueOf(hundredths).movePointLeft(scale + 6);
  }

  @Test
  void geminiApiEmbeddingsReportNoUsageAndAreNotPricedAtZero() {
    AgentRun run = run("embed-gemini").succeeded();

    assertThat(run.results()).containsEntry("embeddings", "2");
    ReceivedSpan span = harness.otlp().awaitSpan("embeddings gemini-embedding-001", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "embeddings")
        .containsEntry("gen_ai.provider.name", "gcp.gemini")
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "no_usage_in_response")
        .containsEntry("aicost.priced", false)
        .containsEntry("aicost.unpriced_reason", "usage_unavailable");
    assertThat(run.singleLedgerLine().get("usage_unavailable_reason").asText()).isEqualTo("no_usage_in_response");
  }

  @Test
  void vertexEmbeddingsArePricedFromTheirTokenStatistics() {
    AgentRun run = run("embed-vertex").succeeded();

    assertThat(run.results()).containsEntry("embeddings", "2");
    ReceivedSpan span = harness.otlp().awaitSpan("embeddings gemini-embedding-001", WAIT);
    // "hello embeddings" 4 tokens + "second text" 3 tokens = 7 x 0.15 = 1.05 micro-USD
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "gcp.vertex_ai")
        .containsEntry("gen_ai.usage.input_tokens", 7L)
        .containsEntry("gen_ai.usage.output_tokens", 0L)
        .containsEntry("gen_ai.usage.cost.amount", 0.00000105)
        .containsEntry("aicost.pricing.entry", "gcp.vertex_ai/gemini-embedding-001");
    assertThat(gemini.lastRequest().path())
        .isEqualTo("/v1beta1/projects/aicost-test/locations/us-central1/publishers/google/models/"
            + "gemini-embedding-001:predict");
  }

  @Test
  void asyncVertexEmbeddingsAreMetered() {
    AgentRun run = run("embed-vertex-async").succeeded();
    assertThat(run.results()).containsEntry("embeddings", "2");
    ReceivedSpan span = harness.otlp().awaitSpan("embeddings gemini-embedding-001", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.usage.input_tokens", 7L)
        .containsEntry("gen_ai.usage.cost.amount", 0.00000105);
  }

  @Test
  void vertexPromptsOver200kTokensArePricedWholeAtTheLongContextRates() {
    gemini.enqueue(GeminiReply.usage(GeminiUsage.of(250_000, 1_000).withCached(100_000).withThoughts(500)));

    AgentRun run = run("vertex-generate").succeeded();

    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-pro", WAIT);
    // 250,000 > 200,000: uncached 150,000 x 2.50 = 0.375, cached 100,000 x 0.25 = 0.025,
    // output (1,000 + 500 thinking) x 15.00 = 0.0225; total 0.4225 USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "gcp.vertex_ai")
        .containsEntry("gen_ai.usage.input_tokens", 250_000L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 100_000L)
        .containsEntry("gen_ai.usage.output_tokens", 1_500L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 500L)
        .containsEntry("aicost.service_tier", "on_demand")
        .containsEntry("aicost.cost.input", 0.375)
        .containsEntry("aicost.cost.cache_read", 0.025)
        .containsEntry("aicost.cost.output", 0.0225)
        .containsEntry("gen_ai.usage.cost.amount", 0.4225)
        .containsEntry("aicost.pricing.entry", "gcp.vertex_ai/gemini-2.5-pro")
        .containsEntry("aicost.pricing.tier", "standard>200k");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.4225");
    assertThat(line.get("pricing_tier").asText()).isEqualTo("standard>200k");
    RecordedRequest request = gemini.lastRequest();
    assertThat(request.path()).startsWith("/v1beta1/projects/aicost-test/locations/europe-west4/publishers/google/");
    assertThat(request.header("Authorization")).contains("Bearer " + ACCESS_TOKEN);
    assertThat(span.attributes().toString() + run.ledgerText() + run.stderr()).doesNotContain(ACCESS_TOKEN);
  }

  @Test
  void vertexLocationSelectsRegionalOrGlobalPrices() {
    AgentRun regional = run("vertex-regional").succeeded();
    ReceivedSpan r = harness.otlp().awaitSpan("generate_content gemini-3.5-flash", WAIT);
    // "Where am I billed?" = 5 tokens, 20 output. Regional: 5 x 1.65 + 20 x 9.90 = 206.25 micro-USD.
    assertThat(r.attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.00020625)
        .containsEntry("aicost.pricing.tier", "standard");
    assertThat(regional.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.00020625");

    harness.reset();
    AgentRun global = run("vertex-global").succeeded();
    ReceivedSpan g = harness.otlp().awaitSpan("generate_content gemini-3.5-flash", WAIT);
    // Global endpoint: 5 x 1.50 + 20 x 9.00 = 187.5 micro-USD.
    assertThat(g.attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.0001875)
        .containsEntry("aicost.pricing.tier", "standard@global");
    assertThat(global.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0001875");
    assertThat(gemini.lastRequest().path()).contains("/locations/global/");
  }

  @Test
  void asyncVertexStreamIsMetered() {
    AgentRun run = run("vertex-stream-async").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("generate_content gemini-2.5-flash", WAIT);
    // "Vertex stream" = 4 tokens, 6 output: 4 x 0.30 + 6 x 2.50 = 16.2 micro-USD.
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "gcp.vertex_ai")
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.input_tokens", 4L)
        .containsEntry("gen_ai.usage.output_tokens", 6L)
        .containsEntry("aicost.service_tier", "on_demand")
        .containsEntry("gen_ai.usage.cost.amount", 0.0000162);
    assertThat(run.results()).containsEntry("chunks", "2");
  }

  @Test
  void attributionReachesBlockingAndAsyncCalls() {
    AgentRun run = run("attributed").succeeded();

    List<ReceivedSpan> spans = spans(2);
    assertThat(spans).allSatisfy(s -> assertThat(s.attributes())
        .containsEntry("aicost.team", "search")
        .containsEntry("aicost.feature", "answers")
        .containsEntry("aicost.customer", "acme"));
    assertThat(run.ledger()).allSatisfy(l -> {
      assertThat(l.get("attribution").get("team").asText()).isEqualTo("search");
      assertThat(l.get("attribution").get("customer").asText()).isEqualTo("acme");
    });
  }
}
