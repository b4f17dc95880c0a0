package dev.aicost.javaagent.instrumentation.bedrock;

import dev.aicost.bootstrap.AiCallHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Bedrock token counts, normalized for aicost. Bedrock (like Anthropic) reports as {@code inputTokens} only the input
 * that was neither read from nor written to the prompt cache; aicost's {@code input} is all input, so
 * {@code input = inputTokens + cacheRead + cacheWrite}. Cache writes are split by TTL where Bedrock says how
 * ({@code cacheDetails}, Anthropic's {@code cache_creation}); otherwise they are 5-minute writes, the only TTL
 * before 1-hour caching existed.
 *
 * <p>Fields that only newer SDKs model ({@code cacheReadInputTokens}, {@code cacheDetails}, {@code serviceTier}) are
 * read by their wire names through {@link SdkPojo#sdkFields()}, so one helper serves every supported SDK version; an older
 * SDK drops fields it does not know, and can then not have sent what produces them (a cache point, a tier).
 */
final class BedrockUsage {

  long input = -1;
  long output = -1;
  long cacheRead;
  long cacheWrite;
  long cacheWrite1h = -1;

  boolean isKnown() {
    return input >= 0 && output >= 0;
  }

  /** Reports the counts on the handle; returns whether there were any. */
  boolean report(AiCallHandle handle) {
    if (!isKnown()) {
      return false;
    }
    long w1h = cacheWrite1h < 0 ? 0 : Math.min(cacheWrite1h, cacheWrite);
    handle
        .usage(input + cacheRead + cacheWrite, output)
        .cacheReadTokens(cacheRead)
        .cacheWrite5mTokens(cacheWrite - w1h)
        .cacheWrite1hTokens(w1h);
    return true;
  }

  // ------------------------------------------------------------------ Converse (TokenUsage)

  /** {@code TokenUsage} of a Converse response or a ConverseStream metadata event. */
  static BedrockUsage fromTokenUsage(Object tokenUsage) {
    BedrockUsage u = new BedrockUsage();
    if (tokenUsage == null) {
      return u;
    }
    u.input = longField(tokenUsage, "inputTokens");
    u.output = longField(tokenUsage, "outputTokens");
    u.cacheRead = Math.max(0, longField(tokenUsage, "cacheReadInputTokens"));
    u.cacheWrite = Math.max(0, longField(tokenUsage, "cacheWriteInputTokens"));
    Object details = field(tokenUsage, "cacheDetails");
    if (details instanceof List) {
      long oneHour = 0;
      for (Object d : (List<?>) details) {
        if ("1h".equals(field(d, "ttl"))) {
          oneHour += Math.max(0, longField(d, "inputTokens"));
        }
      }
      u.cacheWrite1h = oneHour;
    }
    return u;
  }

  /**
   * A member of an SDK model object by its wire name, whether or not this SDK version has a getter for it; enums are
   * their string value. {@code null} when absent.
   */
  static Object field(Object pojo, String locationName) {
    if (!(pojo instanceof SdkPojo)) {
      return null;
    }
    for (SdkField<?> f : ((SdkPojo) pojo).sdkFields()) {
      if (locationName.equals(f.locationName())) {
        return f.getValueOrDefault(pojo);
      }
    }
    return null;
  }

  static long longField(Object pojo, String locationName) {
    Object v = field(pojo, locationName);
    return v instanceof Number && ((Number) v).longValue() >= 0 ? ((Number) v).longValue() : -1;
  }

  /** {@code serviceTier.type} of a Converse response or metadata event (SDKs that model service tiers). */
  static String serviceTier(Object responseOrEvent) {
    Object type = field(field(responseOrEvent, "serviceTier"), "type");
    return type instanceof String ? (String) type : null;
  }

  /**
   * The model a prompt router chose ({@code trace.promptRouter.invokedModelId}), or {@code null}: the model that was
   * billed where the request named only the router.
   */
  static String routedModel(Object responseOrEvent) {
    Object id = field(field(field(responseOrEvent, "trace"), "promptRouter"), "invokedModelId");
    return id instanceof String ? (String) id : null;
  }

  // ------------------------------------------------------------------ InvokeModel

  /**
   * The {@code X-Amzn-Bedrock-Input-Token-Count} / {@code -Output-Token-Count} / {@code -Cache-Read-Input-Token-Count}
   * / {@code -Cache-Write-Input-Token-Count} headers, which Bedrock sends for every model family.
   */
  static BedrockUsage fromHeaders(SdkHttpResponse response) {
    BedrockUsage u = new BedrockUsage();
    if (response == null) {
      return u;
    }
    u.input = header(response, "X-Amzn-Bedrock-Input-Token-Count");
    u.output = header(response, "X-Amzn-Bedrock-Output-Token-Count");
    u.cacheRead = Math.max(0, header(response, "X-Amzn-Bedrock-Cache-Read-Input-Token-Count"));
    u.cacheWrite = Math.max(0, header(response, "X-Amzn-Bedrock-Cache-Write-Input-Token-Count"));
    return u;
  }

  private static long header(SdkHttpResponse response, String name) {
    Optional<String> v = response.firstMatchingHeader(name);
    if (!v.isPresent()) {
      return -1;
    }
    try {
      return Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Usage from a model family's native InvokeModel response body. */
  static BedrockUsage fromBody(String family, JsonNode body) {
    BedrockUsage u = new BedrockUsage();
    if (body == null || !body.isObject()) {
      return u;
    }
    switch (family) {
      case BedrockModels.FAMILY_ANTHROPIC:
        u.anthropic(body.field("usage").orElse(null));
        break;
      case BedrockModels.FAMILY_NOVA:
        u.nova(body.field("usage").orElse(null));
        break;
      case BedrockModels.FAMILY_TITAN:
        u.input = number(body, "inputTextTokenCount");
        Optional<JsonNode> results = body.field("results");
        if (results.isPresent() && results.get().isArray()) {
          long out = 0;
          for (JsonNode r : results.get().asArray()) {
            out += Math.max(0, number(r, "tokenCount"));
          }
          u.output = out;
        } else if (u.input >= 0) {
          u.output = 0; // an embedding
        }
        break;
      case BedrockModels.FAMILY_LLAMA:
        u.input = number(body, "prompt_token_count");
        u.output = number(body, "generation_token_count");
        break;
      default:
        break; // Mistral and Cohere bodies carry no token counts: only the headers do
    }
    return u;
  }

  /** Anthropic's {@code usage}: message body, {@code message_start.message.usage} or {@code message_delta.usage}. */
  void anthropic(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    long in = number(usage, "input_tokens");
    if (in >= 0) {
      input = in;
    }
    long out = number(usage, "output_tokens");
    if (out >= 0) {
      output = out;
    }
    long read = number(usage, "cache_read_input_tokens");
    if (read >= 0) {
      cacheRead = read;
    }
    long write = number(usage, "cache_creation_input_tokens");
    if (write >= 0) {
      cacheWrite = write;
    }
    Optional<JsonNode> creation = usage.field("cache_creation");
    if (creation.isPresent()) {
      long oneHour = number(creation.get(), "ephemeral_1h_input_tokens");
      if (oneHour >= 0) {
        cacheWrite1h = oneHour;
      }
    }
  }

  /** Nova's {@code usage}: {@code inputTokens}, {@code outputTokens}, {@code cacheRead/WriteInputTokenCount}. */
  void nova(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    input = number(usage, "inputTokens");
    output = number(usage, "outputTokens");
    cacheRead = Math.max(0, number(usage, "cacheReadInputTokenCount"));
    cacheWrite = Math.max(0, number(usage, "cacheWriteInputTokenCount"));
  }

  /** {@code amazon-bedrock-invocationMetrics} of the last InvokeModelWithResponseStream chunk. */
  void invocationMetrics(JsonNode metrics) {
    long in = number(metrics, "inputTokenCount");
    long out = number(metrics, "outputTokenCount");
    if (in >= 0 && out >= 0) {
      input = in;
      output = out;
    }
    long read = number(metrics, "cacheReadInputTokenCount");
    if (read >= 0) {
      cacheRead = read;
    }
    long write = number(metrics, "cacheWriteInputTokenCount");
    if (write >= 0) {
      cacheWrite = write;
    }
  }

  /** A non-negative integer field of a JSON object, or -1. */
  static long number(JsonNode object, String field) {
    if (object == null || !object.isObject()) {
      return -1;
    }
    Map<String, JsonNode> fields = object.asObject();
    JsonNode n = fields.get(field);
    if (n == null || !n.isNumber()) {
      return -1;
    }
    try {
      long v = Long.parseLong(n.asNumber());
      return v < 0 ? -1 : v;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A string field of a JSON object, or {@code null}. */
  static String string(JsonNode object, String field) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode n = object.asObject().get(field);
    return n != null && n.isString() ? n.asString() : null;
  }
}
