package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Renders OpenAI wire objects (JSON bodies and SSE events). Stateless. */
final class OpenAiWire {

  static final int DEFAULT_EMBEDDING_DIMENSIONS = 16;

  private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private OpenAiWire() {}

  // ------------------------------------------------------------------ ids

  static String chatCompletionId() {
    return "chatcmpl-" + random(ALNUM, 29);
  }

  static String responseId() {
    return "resp_" + random(HEX, 48);
  }

  static String messageId() {
    return "msg_" + random(HEX, 48);
  }

  static String reasoningId() {
    return "rs_" + random(HEX, 48);
  }

  static String requestId() {
    return "req_" + random(HEX, 32);
  }

  /** A stable {@code fp_…} per model, like OpenAI's backend configuration fingerprint. */
  static String systemFingerprint(String model) {
    byte[] digest = sha256("fingerprint:" + model);
    StringBuilder sb = new StringBuilder("fp_");
    for (int i = 0; i < 5; i++) {
      sb.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
    }
    return sb.toString();
  }

  private static String random(char[] alphabet, int length) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[rnd.nextInt(alphabet.length)];
    }
    return new String(out);
  }

  // ------------------------------------------------------------------ errors

  static ObjectNode errorBody(String message, String type, String param, String code) {
    ObjectNode error = Json.object();
    error.put("message", message);
    putNullable(error, "type", type);
    putNullable(error, "param", param);
    putNullable(error, "code", code);
    ObjectNode root = Json.object();
    root.set("error", error);
    return root;
  }

  // ------------------------------------------------------------------ chat completions

  record ChatPlan(
      String id,
      long created,
      String model,
      String serviceTier,
      String fingerprint,
      int choices,
      String text,
      String finishReason,
      TokenUsage usage) {}

  static ObjectNode chatCompletion(ChatPlan plan) {
    ObjectNode root = Json.object();
    root.put("id", plan.id());
    root.put("object", "chat.completion");
    root.put("created", plan.created());
    root.put("model", plan.model());
    ArrayNode choices = root.putArray("choices");
    for (int i = 0; i < plan.choices(); i++) {
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", plan.text());
      message.putNull("refusal");
      message.putArray("annotations");
      choice.putNull("logprobs");
      choice.put("finish_reason", plan.finishReason());
    }
    root.set("usage", chatUsage(plan.usage()));
    root.put("service_tier", plan.serviceTier());
    root.put("system_fingerprint", plan.fingerprint());
    return root;
  }

  static ObjectNode chatUsage(TokenUsage u) {
    ObjectNode usage = Json.object();
    usage.put("prompt_tokens", u.promptTokens());
    usage.put("completion_tokens", u.completionTokens());
    usage.put("total_tokens", u.totalTokens());
    ObjectNode prompt = usage.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", u.cachedTokens());
    if (u.cacheWriteTokens() > 0) {
      prompt.put("cache_write_tokens", u.cacheWriteTokens());
    }
    prompt.put("audio_tokens", u.promptAudioTokens());
    ObjectNode completion = usage.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", u.reasoningTokens());
    completion.put("audio_tokens", u.completionAudioTokens());
    completion.put("accepted_prediction_tokens", u.acceptedPredictionTokens());
    completion.put("rejected_prediction_tokens", u.rejectedPredictionTokens());
    return usage;
  }

  /**
   * The SSE events of a streamed chat completion, each a complete {@code data: …\n\n} block: per choice a role
   * chunk, then one content chunk per 4-character token (choices interleaved), per choice a finish chunk, the usage
   * chunk (only if {@code includeUsage}), and {@code data: [DONE]}.
   */
  static List<String> chatStreamEvents(ChatPlan plan, boolean includeUsage, boolean obfuscate) {
    List<String> events = new ArrayList<>();
    int seq = 0;
    for (int i = 0; i < plan.choices(); i++) {
      ObjectNode delta = Json.object();
      delta.put("role", "assistant");
      delta.put("content", "");
      delta.putNull("refusal");
      events.add(data(chatChunk(plan, i, delta, null, includeUsage, obfuscate ? seq++ : -1)));
    }
    List<String> pieces = tokenPieces(plan.text());
    for (String piece : pieces) {
      for (int i = 0; i < plan.choices(); i++) {
        ObjectNode delta = Json.object();
        delta.put("content", piece);
        events.add(data(chatChunk(plan, i, delta, null, includeUsage, obfuscate ? seq++ : -1)));
      }
    }
    for (int i = 0; i < plan.choices(); i++) {
      events.add(
          data(chatChunk(plan, i, Json.object(), plan.finishReason(), includeUsage, obfuscate ? seq++ : -1)));
    }
    if (includeUsage) {
      ObjectNode chunk = chunkHeader(plan);
      chunk.putArray("choices");
      chunk.set("usage", chatUsage(plan.usage()));
      if (obfuscate) {
        chunk.put("obfuscation", obfuscation(seq));
      }
      events.add(data(chunk));
    }
    events.add("data: [DONE]\n\n");
    return events;
  }

  private static ObjectNode chunkHeader(ChatPlan plan) {
    ObjectNode chunk = Json.object();
    chunk.put("id", plan.id());
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", plan.created());
    chunk.put("model", plan.model());
    chunk.put("service_tier", plan.serviceTier());
    chunk.put("system_fingerprint", plan.fingerprint());
    return chunk;
  }

  private static ObjectNode chatChunk(
      ChatPlan plan, int index, ObjectNode delta, String finishReason, boolean includeUsage, int obfuscationSeq) {
    ObjectNode chunk = chunkHeader(plan);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    putNullable(choice, "finish_reason", finishReason);
    if (includeUsage) {
      chunk.putNull("usage");
    }
    if (obfuscationSeq >= 0) {
      chunk.put("obfuscation", obfuscation(obfuscationSeq));
    }
    return chunk;
  }

  /** OpenAI pads stream events with a random-length {@code obfuscation} string; ours is deterministic. */
  private static String obfuscation(int seq) {
    int length = 2 + (seq * 7) % 11;
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALNUM[(seq * 31 + i * 17) % ALNUM.length]);
    }
    return sb.toString();
  }

  /** The text split into 4-character tokens. */
  static List<String> tokenPieces(String text) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += UsageFormula.CHARS_PER_TOKEN) {
      pieces.add(text.substring(i, Math.min(text.length(), i + UsageFormula.CHARS_PER_TOKEN)));
    }
    return pieces;
  }

  private static String data(JsonNode node) {
    return "data: " + Json.write(node) + "\n\n";
  }

  // ------------------------------------------------------------------ responses

  record ResponsePlan(
      String id,
      long createdAt,
      String model,
      String requestedServiceTier,
      String serviceTier,
      String text,
      TokenUsage usage,
      String reasoningItemId,
      String messageId,
      JsonNode request) {}

  /** The {@code response} object; {@code completed=false} renders the in-progress snapshot sent first. */
  static ObjectNode response(ResponsePlan plan, boolean completed) {
    JsonNode req = plan.request();
    ObjectNode root = Json.object();
    root.put("id", plan.id());
    root.put("object", "response");
    root.put("created_at", plan.createdAt());
    root.put("status", completed ? "completed" : "in_progress");
    root.put("background", req.path("background").asBoolean(false));
    if (completed) {
      root.put("completed_at", plan.createdAt());
    } else {
      root.putNull("completed_at");
    }
    root.putNull("error");
    root.putNull("incomplete_details");
    root.set("instructions", echo(req, "instructions", NullNode.getInstance()));
    root.set("max_output_tokens", echo(req, "max_output_tokens", NullNode.getInstance()));
    root.set("max_tool_calls", echo(req, "max_tool_calls", NullNode.getInstance()));
    root.put("model", plan.model());
    ArrayNode output = root.putArray("output");
    if (completed) {
      if (plan.reasoningItemId() != null) {
        output.add(reasoningItem(plan));
      }
      output.add(messageItem(plan, true));
    }
    root.set("parallel_tool_calls", echo(req, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true)));
    root.set("previous_response_id", echo(req, "previous_response_id", NullNode.getInstance()));
    root.set("prompt_cache_key", echo(req, "prompt_cache_key", NullNode.getInstance()));
    ObjectNode reasoning = Json.object();
    JsonNode requestedReasoning = req.path("reasoning");
    boolean reasoningModel = UsageFormula.isReasoningModel(plan.model());
    reasoning.set(
        "effort",
        echo(requestedReasoning, "effort", reasoningModel ? Json.MAPPER.getNodeFactory().textNode("medium")
            : NullNode.getInstance()));
    reasoning.set("summary", echo(requestedReasoning, "summary", NullNode.getInstance()));
    root.set("reasoning", reasoning);
    root.set("safety_identifier", echo(req, "safety_identifier", NullNode.getInstance()));
    root.put("service_tier", completed ? plan.serviceTier() : plan.requestedServiceTier());
    root.set("store", echo(req, "store", Json.MAPPER.getNodeFactory().booleanNode(true)));
    root.set("temperature", echo(req, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0)));
    ObjectNode text = Json.object();
    text.putObject("format").put("type", "text");
    text.put("verbosity", "medium");
    root.set("text", echo(req, "text", text));
    root.set("tool_choice", echo(req, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto")));
    root.set("tools", echo(req, "tools", Json.array()));
    root.set("top_logprobs", echo(req, "top_logprobs", Json.MAPPER.getNodeFactory().numberNode(0)));
    root.set("top_p", echo(req, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0)));
    root.set("truncation", echo(req, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled")));
    if (completed) {
      root.set("usage", responseUsage(plan.usage()));
    } else {
      root.putNull("usage");
    }
    root.set("user", echo(req, "user", NullNode.getInstance()));
    root.set("metadata", echo(req, "metadata", Json.object()));
    return root;
  }

  static ObjectNode responseUsage(TokenUsage u) {
    ObjectNode usage = Json.object();
    usage.put("input_tokens", u.promptTokens());
    ObjectNode input = usage.putObject("input_tokens_details");
    input.put("cached_tokens", u.cachedTokens());
    input.put("cache_write_tokens", u.cacheWriteTokens());
    usage.put("output_tokens", u.completionTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    usage.put("total_tokens", u.totalTokens());
    return usage;
  }

  private static ObjectNode reasoningItem(ResponsePlan plan) {
    ObjectNode item = Json.object();
    item.put("id", plan.reasoningItemId());
    item.put("type", "reasoning");
    item.putArray("summary");
    return item;
  }

  private static ObjectNode messageItem(ResponsePlan plan, boolean done) {
    ObjectNode item = Json.object();
    item.put("id", plan.messageId());
    item.put("type", "message");
    item.put("status", done ? "completed" : "in_progress");
    ArrayNode content = item.putArray("content");
    if (done) {
      content.add(outputText(plan.text()));
    }
    item.put("role", "assistant");
    return item;
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = Json.object();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    part.put("text", text);
    return part;
  }

  /**
   * The SSE events of a streamed response, each a complete {@code event: …\ndata: …\n\n} block: created,
   * in_progress, [reasoning item added/done], message item added, content part added, one text delta per
   * 4-character token, text done, content part done, message item done, completed.
   */
  static List<String> responseStreamEvents(ResponsePlan plan, boolean obfuscate) {
    List<String> events = new ArrayList<>();
    int[] seq = {0};
    ObjectNode created = Json.object();
    created.put("type", "response.created");
    created.set("response", response(plan, false));
    events.add(event(created, seq));
    ObjectNode inProgress = Json.object();
    inProgress.put("type", "response.in_progress");
    inProgress.set("response", response(plan, false));
    events.add(event(inProgress, seq));

    int outputIndex = 0;
    if (plan.reasoningItemId() != null) {
      for (String type : new String[] {"response.output_item.added", "response.output_item.done"}) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("output_index", outputIndex);
        e.set("item", reasoningItem(plan));
        events.add(event(e, seq));
      }
      outputIndex++;
    }

    ObjectNode itemAdded = Json.object();
    itemAdded.put("type", "response.output_item.added");
    itemAdded.put("output_index", outputIndex);
    itemAdded.set("item", messageItem(plan, false));
    events.add(event(itemAdded, seq));

    ObjectNode partAdded = contentEvent("response.content_part.added", plan, outputIndex);
    partAdded.set("part", outputText(""));
    events.add(event(partAdded, seq));

    for (String piece : tokenPieces(plan.text())) {
      ObjectNode delta = contentEvent("response.output_text.delta", plan, outputIndex);
      delta.put("delta", piece);
      delta.putArray("logprobs");
      if (obfuscate) {
        delta.put("obfuscation", obfuscation(seq[0]));
      }
      events.add(event(delta, seq));
    }

    ObjectNode textDone = contentEvent("response.output_text.done", plan, outputIndex);
    textDone.put("text", plan.text());
    textDone.putArray("logprobs");
    events.add(event(textDone, seq));

    ObjectNode partDone = contentEvent("response.content_part.done", plan, outputIndex);
    partDone.set("part", outputText(plan.text()));
    events.add(event(partDone, seq));

    ObjectNode itemDone = Json.object();
    itemDone.put("type", "response.output_item.done");
    itemDone.put("output_index", outputIndex);
    itemDone.set("item", messageItem(plan, true));
    events.add(event(itemDone, seq));

    ObjectNode completed = Json.object();
    completed.put("type", "response.completed");
    completed.set("response", response(plan, true));
    events.add(event(completed, seq));
    return events;
  }

  private static ObjectNode contentEvent(String type, ResponsePlan plan, int outputIndex) {
    ObjectNode e = Json.object();
    e.put("type", type);
    e.put("item_id", plan.messageId());
    e.put("output_index", outputIndex);
    e.put("content_index", 0);
    return e;
  }

  /** {@code event: <type>\ndata: <json with sequence_number>\n\n}; numbers events from 0. */
  private static String event(ObjectNode payload, int[] seq) {
    ObjectNode ordered = Json.object();
    ordered.set("type", payload.get("type"));
    ordered.put("sequence_number", seq[0]++);
    for (Map.Entry<String, JsonNode> field : payload.properties()) {
      if (!field.getKey().equals("type")) {
        ordered.set(field.getKey(), field.getValue());
      }
    }
    return "event: " + payload.get("type").asText() + "\ndata: " + Json.write(ordered) + "\n\n";
  }

  // ------------------------------------------------------------------ embeddings

  static ObjectNode embeddings(String model, List<JsonNode> inputs, int dimensions, boolean base64, TokenUsage u) {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < inputs.size(); i++) {
      float[] vector = embeddingVector(model, inputs.get(i), dimensions);
      ObjectNode embedding = data.addObject();
      embedding.put("object", "embedding");
      embedding.put("index", i);
      if (base64) {
        embedding.put("embedding", encodeBase64(vector));
      } else {
        ArrayNode values = embedding.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    root.put("model", model);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", u.promptTokens());
    usage.put("total_tokens", u.totalTokens());
    return root;
  }

  /**
   * A deterministic unit-length vector: seeded by SHA-256 of model and input, components uniform in [-1, 1], then
   * L2-normalized (OpenAI's embeddings are normalized to length 1).
   */
  static float[] embeddingVector(String model, JsonNode input, int dimensions) {
    byte[] digest = sha256(model + "\u0000" + (input.isTextual() ? input.asText() : Json.write(input)));
    SplittableRandom rnd = new SplittableRandom(ByteBuffer.wrap(digest).getLong());
    double[] raw = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      raw[i] = rnd.nextDouble(-1.0, 1.0);
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      out[i] = (float) (raw[i] / norm);
    }
    return out;
  }

  /** Little-endian IEEE-754 float32 array, base64 — the format of {@code encoding_format: base64}. */
  static String encodeBase64(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      buffer.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(buffer.array());
  }

  // ------------------------------------------------------------------ helpers

  private static JsonNode echo(JsonNode request, String field, JsonNode fallback) {
    JsonNode value = request.get(field);
    return value == null || value.isNull() ? fallback : value.deepCopy();
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
