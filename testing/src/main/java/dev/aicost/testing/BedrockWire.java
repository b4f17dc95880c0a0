package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Bedrock Runtime's wire formats as {@link MockBedrockServer} writes them: the Converse JSON, each model family's
 * native InvokeModel bodies and stream chunks, AWS JSON errors and the AWS binary event-stream framing (encoded with
 * the SDK's own codec, {@code software.amazon.awssdk:eventstream}, so prelude and message CRCs are real).
 */
final class BedrockWire {

  /** Characters of streamed text per event (4 tokens of the usage formula). */
  static final int CHARS_PER_DELTA = 16;

  private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private BedrockWire() {}

  /** The model families whose native InvokeModel formats the mock speaks. */
  enum Family {
    ANTHROPIC,
    NOVA,
    TITAN_TEXT,
    TITAN_EMBED,
    LLAMA,
    MISTRAL,
    COHERE_COMMAND,
    COHERE_EMBED,
    OTHER;

    boolean isEmbedding() {
      return this == TITAN_EMBED || this == COHERE_EMBED;
    }
  }

  /**
   * The foundation model behind a model id: ARNs ({@code …:foundation-model/ID}, {@code …:inference-profile/ID}) are
   * reduced to their id, and a cross-region inference profile prefix ({@code us.}, {@code eu.}, {@code apac.},
   * {@code global.}, ...) is dropped.
   */
  static String baseModelId(String modelId) {
    String id = modelId;
    if (id.startsWith("arn:")) {
      int slash = id.indexOf('/');
      id = slash < 0 ? id : id.substring(slash + 1);
    }
    String[] parts = id.split("\\.", 3);
    if (parts.length == 3 && parts[0].length() <= 7 && parts[0].matches("[a-z-]+") && !parts[1].isEmpty()
        && parts[2].length() > 0 && isGeoPrefix(parts[0])) {
      id = parts[1] + "." + parts[2];
    }
    return id.toLowerCase(Locale.ROOT);
  }

  private static boolean isGeoPrefix(String p) {
    return switch (p) {
      case "us", "eu", "apac", "us-gov", "global", "jp", "au", "ca", "uk" -> true;
      default -> false;
    };
  }

  static Family family(String modelId) {
    String id = baseModelId(modelId);
    if (id.startsWith("anthropic.")) {
      return Family.ANTHROPIC;
    }
    if (id.startsWith("amazon.nova")) {
      return Family.NOVA;
    }
    if (id.startsWith("amazon.titan-embed")) {
      return Family.TITAN_EMBED;
    }
    if (id.startsWith("amazon.titan-t")) {
      return Family.TITAN_TEXT;
    }
    if (id.startsWith("meta.")) {
      return Family.LLAMA;
    }
    if (id.startsWith("mistral.")) {
      return Family.MISTRAL;
    }
    if (id.startsWith("cohere.embed")) {
      return Family.COHERE_EMBED;
    }
    if (id.startsWith("cohere.command")) {
      return Family.COHERE_COMMAND;
    }
    return Family.OTHER;
  }

  // ------------------------------------------------------------------ usage formula

  /** {@code ceil(chars / 4)}, at least 1, for each text; summed. */
  static long tokens(List<String> texts) {
    long total = 0;
    for (String t : texts) {
      total += Math.max(1, UsageFormula.textTokens(t));
    }
    return Math.max(1, total);
  }

  /** The texts of a Converse request: every {@code system[].text} and {@code messages[].content[].text}. */
  static List<String> converseTexts(JsonNode request) {
    List<String> texts = new ArrayList<>();
    for (JsonNode s : request.path("system")) {
      if (s.path("text").isTextual()) {
        texts.add(s.get("text").asText());
      }
    }
    for (JsonNode m : request.path("messages")) {
      for (JsonNode c : m.path("content")) {
        if (c.path("text").isTextual()) {
          texts.add(c.get("text").asText());
        }
      }
    }
    return texts;
  }

  /** The texts of an InvokeModel body in the family's format. */
  static List<String> invokeTexts(Family family, JsonNode body) {
    List<String> texts = new ArrayList<>();
    switch (family) {
      case ANTHROPIC -> {
        JsonNode system = body.path("system");
        if (system.isTextual()) {
          texts.add(system.asText());
        } else {
          system.forEach(b -> addText(texts, b.path("text")));
        }
        for (JsonNode m : body.path("messages")) {
          JsonNode content = m.path("content");
          if (content.isTextual()) {
            texts.add(content.asText());
          } else {
            content.forEach(b -> addText(texts, b.path("text")));
          }
        }
      }
      case NOVA -> {
        body.path("system").forEach(b -> addText(texts, b.path("text")));
        for (JsonNode m : body.path("messages")) {
          m.path("content").forEach(b -> addText(texts, b.path("text")));
        }
      }
      case TITAN_TEXT, TITAN_EMBED -> addText(texts, body.path("inputText"));
      case LLAMA, MISTRAL -> addText(texts, body.path("prompt"));
      case COHERE_COMMAND -> {
        addText(texts, body.path("preamble"));
        body.path("chat_history").forEach(h -> addText(texts, h.path("message")));
        addText(texts, body.path("message"));
      }
      case COHERE_EMBED -> body.path("texts").forEach(t -> addText(texts, t));
      default -> addText(texts, body.path("prompt"));
    }
    return texts;
  }

  private static void addText(List<String> texts, JsonNode node) {
    if (node.isTextual()) {
      texts.add(node.asText());
    }
  }

  /** The output limit an InvokeModel body sets, or -1. */
  static long invokeMaxTokens(Family family, JsonNode body) {
    JsonNode n = switch (family) {
      case ANTHROPIC, MISTRAL, COHERE_COMMAND -> body.path("max_tokens");
      case NOVA -> body.path("inferenceConfig").has("maxTokens")
          ? body.path("inferenceConfig").path("maxTokens")
          : body.path("inferenceConfig").path("max_new_tokens");
      case TITAN_TEXT -> body.path("textGenerationConfig").path("maxTokenCount");
      case LLAMA -> body.path("max_gen_len");
      default -> body.path("max_tokens");
    };
    return n.canConvertToLong() ? Math.max(1, n.asLong()) : -1;
  }

  // ------------------------------------------------------------------ Converse

  static ObjectNode tokenUsage(BedrockUsage u) {
    ObjectNode usage = Json.object();
    usage.put("inputTokens", u.inputTokens());
    usage.put("outputTokens", u.outputTokens());
    usage.put("totalTokens", u.totalTokens());
    if (u.hasCache()) {
      usage.put("cacheReadInputTokens", u.cacheReadInputTokens());
      usage.put("cacheWriteInputTokens", u.cacheWriteInputTokens());
      if (u.cacheWriteInputTokens() > 0) {
        ArrayNode details = usage.putArray("cacheDetails");
        if (u.cacheWrite1hInputTokens() > 0) {
          details.addObject().put("inputTokens", u.cacheWrite1hInputTokens()).put("ttl", "1h");
        }
        if (u.cacheWrite5mInputTokens() > 0) {
          details.addObject().put("inputTokens", u.cacheWrite5mInputTokens()).put("ttl", "5m");
        }
      }
    }
    return usage;
  }

  static ObjectNode converseResponse(String text, String stopReason, BedrockUsage usage, long latencyMs,
      JsonNode serviceTier) {
    ObjectNode r = Json.object();
    r.putObject("metrics").put("latencyMs", latencyMs);
    ObjectNode message = r.putObject("output").putObject("message");
    message.putArray("content").addObject().put("text", text);
    message.put("role", "assistant");
    if (serviceTier != null) {
      r.set("serviceTier", serviceTier);
    }
    r.put("stopReason", stopReason);
    r.set("usage", tokenUsage(usage));
    return r;
  }

  /** The ConverseStream events as (event type, JSON payload), each with Bedrock's {@code p} padding field. */
  static List<Map.Entry<String, ObjectNode>> converseStreamEvents(String text, String stopReason, BedrockUsage usage,
      long latencyMs, JsonNode serviceTier) {
    List<Map.Entry<String, ObjectNode>> events = new ArrayList<>();
    events.add(Map.entry("messageStart", padded(Json.object().put("role", "assistant"))));
    for (String piece : pieces(text)) {
      ObjectNode delta = Json.object().put("contentBlockIndex", 0);
      delta.putObject("delta").put("text", piece);
      events.add(Map.entry("contentBlockDelta", padded(delta)));
    }
    events.add(Map.entry("contentBlockStop", padded(Json.object().put("contentBlockIndex", 0))));
    events.add(Map.entry("messageStop", padded(Json.object().put("stopReason", stopReason))));
    ObjectNode metadata = Json.object();
    metadata.putObject("metrics").put("latencyMs", latencyMs);
    if (serviceTier != null) {
      metadata.set("serviceTier", serviceTier);
    }
    metadata.set("usage", tokenUsage(usage));
    events.add(Map.entry("metadata", padded(metadata)));
    return events;
  }

  /** Real Bedrock pads event payloads with a field {@code p} of random length, so sizes do not reveal content. */
  private static ObjectNode padded(ObjectNode event) {
    event.put("p", PADDING.substring(0, 1 + ThreadLocalRandom.current().nextInt(PADDING.length() - 1)));
    return event;
  }

  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += CHARS_PER_DELTA) {
      pieces.add(text.substring(i, Math.min(text.length(), i + CHARS_PER_DELTA)));
    }
    if (pieces.isEmpty()) {
      pieces.add("");
    }
    return pieces;
  }

  // ------------------------------------------------------------------ InvokeModel

  /** The default stop reason of a family, in its own words. */
  static String defaultStopReason(Family family) {
    return switch (family) {
      case ANTHROPIC, NOVA -> "end_turn";
      case TITAN_TEXT -> "FINISH";
      case LLAMA, MISTRAL -> "stop";
      case COHERE_COMMAND -> "COMPLETE";
      default -> "stop";
    };
  }

  static String anthropicModelName(String modelId) {
    String id = baseModelId(modelId).substring("anthropic.".length());
    int v = id.lastIndexOf("-v");
    return v > 0 ? id.substring(0, v) : id;
  }

  static ObjectNode anthropicUsage(BedrockUsage u, boolean streamStart) {
    ObjectNode usage = Json.object();
    usage.put("input_tokens", u.inputTokens());
    usage.put("cache_creation_input_tokens", u.cacheWriteInputTokens());
    usage.put("cache_read_input_tokens", u.cacheReadInputTokens());
    ObjectNode creation = usage.putObject("cache_creation");
    creation.put("ephemeral_5m_input_tokens", u.cacheWrite5mInputTokens());
    creation.put("ephemeral_1h_input_tokens", u.cacheWrite1hInputTokens());
    usage.put("output_tokens", streamStart ? 1 : u.outputTokens());
    return usage;
  }

  static String anthropicMessageId() {
    return "msg_bdrk_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
  }

  /** An InvokeModel response body in the family's native format. */
  static ObjectNode invokeBody(Family family, String modelId, String text, String stopReason, BedrockUsage u,
      int embeddingCount) {
    ObjectNode r = Json.object();
    switch (family) {
      case ANTHROPIC -> {
        r.put("id", anthropicMessageId());
        r.put("type", "message");
        r.put("role", "assistant");
        r.put("model", anthropicModelName(modelId));
        r.putArray("content").addObject().put("type", "text").put("text", text);
        r.put("stop_reason", stopReason);
        r.putNull("stop_sequence");
        r.set("usage", anthropicUsage(u, false));
      }
      case NOVA -> {
        ObjectNode message = r.putObject("output").putObject("message");
        message.putArray("content").addObject().put("text", text);
        message.put("role", "assistant");
        r.put("stopReason", stopReason);
        ObjectNode usage = r.putObject("usage");
        usage.put("inputTokens", u.inputTokens());
        usage.put("outputTokens", u.outputTokens());
        usage.put("totalTokens", u.totalTokens());
        usage.put("cacheReadInputTokenCount", u.cacheReadInputTokens());
        usage.put("cacheWriteInputTokenCount", u.cacheWriteInputTokens());
      }
      case TITAN_TEXT -> {
        r.put("inputTextTokenCount", u.inputTokens());
        r.putArray("results").addObject()
            .put("tokenCount", u.outputTokens())
            .put("outputText", text)
            .put("completionReason", stopReason);
      }
      case TITAN_EMBED -> {
        ArrayNode vector = r.putArray("embedding");
        embedding(vector, modelId + text);
        r.putObject("embeddingsByType").set("float", vector.deepCopy());
        r.put("inputTextTokenCount", u.inputTokens());
      }
      case LLAMA -> {
        r.put("generation", text);
        r.put("prompt_token_count", u.inputTokens());
        r.put("generation_token_count", u.outputTokens());
        r.put("stop_reason", stopReason);
      }
      case MISTRAL -> r.putArray("outputs").addObject().put("text", text).put("stop_reason", stopReason);
      case COHERE_COMMAND -> {
        r.put("response_id", UUID.randomUUID().toString());
        r.put("text", text);
        r.put("generation_id", UUID.randomUUID().toString());
        r.putArray("chat_history");
        r.put("finish_reason", stopReason);
      }
      case COHERE_EMBED -> {
        ArrayNode embeddings = r.putArray("embeddings");
        for (int i = 0; i < embeddingCount; i++) {
          embedding(embeddings.addArray(), modelId + i);
        }
        r.put("id", UUID.randomUUID().toString());
        r.put("response_type", "embeddings_floats");
        r.putArray("texts");
      }
      default -> r.put("completion", text).put("stop_reason", stopReason);
    }
    return r;
  }

  private static void embedding(ArrayNode vector, String seed) {
    java.util.Random random = new java.util.Random(seed.hashCode());
    double norm = 0;
    double[] v = new double[16];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (double d : v) {
      vector.add((float) (d / Math.sqrt(norm)));
    }
  }

  /**
   * The native stream chunks of an InvokeModelWithResponseStream reply; the last one carries {@code
   * amazon-bedrock-invocationMetrics} when {@code metrics} is set.
   */
  static List<ObjectNode> invokeStreamChunks(Family family, String modelId, String text, String stopReason,
      BedrockUsage u, boolean metrics, long latencyMs) {
    List<ObjectNode> chunks = new ArrayList<>();
    List<String> pieces = pieces(text);
    switch (family) {
      case ANTHROPIC -> {
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", anthropicMessageId());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", anthropicModelName(modelId));
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", anthropicUsage(u, true));
        chunks.add(start);
        ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        chunks.add(blockStart);
        for (String piece : pieces) {
          ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
          delta.putObject("delta").put("type", "text_delta").put("text", piece);
          chunks.add(delta);
        }
        chunks.add(Json.object().put("type", "content_block_stop").put("index", 0));
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", u.outputTokens());
        chunks.add(messageDelta);
        chunks.add(Json.object().put("type", "message_stop"));
      }
      case NOVA -> {
        chunks.add(obj("messageStart", Json.object().put("role", "assistant")));
        for (String piece : pieces) {
          ObjectNode delta = Json.object().put("contentBlockIndex", 0);
          delta.putObject("delta").put("text", piece);
          chunks.add(obj("contentBlockDelta", delta));
        }
        chunks.add(obj("contentBlockStop", Json.object().put("contentBlockIndex", 0)));
        chunks.add(obj("messageStop", Json.object().put("stopReason", stopReason)));
        ObjectNode metadata = Json.object();
        ObjectNode usage = metadata.putObject("usage");
        usage.put("inputTokens", u.inputTokens());
        usage.put("outputTokens", u.outputTokens());
        usage.put("cacheReadInputTokenCount", u.cacheReadInputTokens());
        usage.put("cacheWriteInputTokenCount", u.cacheWriteInputTokens());
        metadata.putObject("metrics");
        metadata.putObject("trace");
        chunks.add(obj("metadata", metadata));
      }
      case TITAN_TEXT -> {
        long emitted = 0;
        for (int i = 0; i < pieces.size(); i++) {
          boolean last = i == pieces.size() - 1;
          emitted = last ? u.outputTokens() : Math.min(u.outputTokens(), emitted + 4);
          ObjectNode c = Json.object().put("outputText", pieces.get(i)).put("index", 0)
              .put("totalOutputTextTokenCount", emitted);
          if (last) {
            c.put("completionReason", stopReason);
          } else {
            c.putNull("completionReason");
          }
          c.put("inputTextTokenCount", u.inputTokens());
          chunks.add(c);
        }
      }
      case LLAMA -> {
        for (int i = 0; i < pieces.size(); i++) {
          boolean last = i == pieces.size() - 1;
          ObjectNode c = Json.object().put("generation", pieces.get(i));
          if (i == 0) {
            c.put("prompt_token_count", u.inputTokens());
          } else {
            c.putNull("prompt_token_count");
          }
          c.put("generation_token_count", last ? u.outputTokens() : Math.min(u.outputTokens(), 4L * (i + 1)));
          if (last) {
            c.put("stop_reason", stopReason);
          } else {
            c.putNull("stop_reason");
          }
          chunks.add(c);
        }
      }
      case MISTRAL -> {
        for (int i = 0; i < pieces.size(); i++) {
          boolean last = i == pieces.size() - 1;
          ObjectNode output = Json.object().put("text", pieces.get(i));
          if (last) {
            output.put("stop_reason", stopReason);
          } else {
            output.putNull("stop_reason");
          }
          ObjectNode c = Json.object();
          c.putArray("outputs").add(output);
          chunks.add(c);
        }
      }
      case COHERE_COMMAND -> {
        chunks.add(Json.object().put("is_finished", false).put("event_type", "stream-start")
            .put("generation_id", UUID.randomUUID().toString()));
        for (String piece : pieces) {
          chunks.add(Json.object().put("is_finished", false).put("event_type", "text-generation")
              .put("text", piece));
        }
        ObjectNode end = Json.object().put("is_finished", true).put("event_type", "stream-end")
            .put("finish_reason", stopReason);
        end.putObject("response").put("text", text).put("finish_reason", stopReason);
        chunks.add(end);
      }
      default -> {
        for (String piece : pieces) {
          chunks.add(Json.object().put("completion", piece));
        }
        chunks.add(Json.object().put("completion", "").put("stop_reason", stopReason));
      }
    }
    if (metrics) {
      chunks.get(chunks.size() - 1).putObject("amazon-bedrock-invocationMetrics")
          .put("inputTokenCount", u.inputTokens())
          .put("outputTokenCount", u.outputTokens())
          .put("invocationLatency", latencyMs)
          .put("firstByteLatency", Math.max(1, latencyMs / 2));
    }
    return chunks;
  }

  private static ObjectNode obj(String key, ObjectNode value) {
    ObjectNode o = Json.object();
    o.set(key, value);
    return o;
  }

  /** A {@code chunk} event's payload: the native chunk as base64 {@code bytes}, padded like Bedrock's. */
  static ObjectNode payloadPart(ObjectNode chunk) {
    byte[] bytes = Json.write(chunk).getBytes(StandardCharsets.UTF_8);
    return padded(Json.object().put("bytes", Base64.getEncoder().encodeToString(bytes)));
  }

  // ------------------------------------------------------------------ errors and framing

  /** The {@code x-amzn-ErrorType} header value for an exception shape. */
  static String errorTypeHeader(String type) {
    return type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
  }

  static ObjectNode errorBody(String message) {
    return Json.object().put("message", message);
  }

  /** An event-stream message of type {@code event}. */
  static ByteBuffer event(String eventType, JsonNode payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return new Message(headers, Json.write(payload).getBytes(StandardCharsets.UTF_8)).toByteBuffer();
  }

  /** An event-stream message of type {@code exception}, {@code :exception-type} the union member's name. */
  static ByteBuffer exception(String exceptionType, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(exceptionType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    ObjectNode body = Json.object().put("message", message);
    if (exceptionType.equals("modelStreamErrorException")) {
      body.put("originalStatusCode", 500).put("originalMessage", message);
    }
    return new Message(headers, Json.write(body).getBytes(StandardCharsets.UTF_8)).toByteBuffer();
  }
}
