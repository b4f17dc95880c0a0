package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The Anthropic Messages wire format as {@link MockAnthropicServer} writes it: the message object, the SSE event
 * sequence of a streamed message ({@code message_start}, {@code content_block_start}, {@code ping},
 * {@code content_block_delta}, {@code content_block_stop}, {@code message_delta}, {@code message_stop}) and the
 * error body. Field order and presence follow the API's own responses.
 */
final class AnthropicWire {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TEXT_DELTA_CHARS = 24;

  private AnthropicWire() {}

  /** What one message says; the same plan gives the JSON message and its streamed events. */
  record MessagePlan(
      String id, String model, String thinking, String text, String stopReason, AnthropicTokenUsage usage) {}

  static String messageId(String platform) {
    return "msg_" + platform + randomId(24);
  }

  static String requestId() {
    return "req_" + randomId(24);
  }

  static String randomId(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** The {@code usage} object of a message (and of {@code message_start}, with a provisional output count). */
  static ObjectNode usage(AnthropicTokenUsage u, long outputTokens) {
    ObjectNode n = Json.object();
    n.put("input_tokens", u.inputTokens());
    n.put("cache_creation_input_tokens", u.cacheCreationInputTokens());
    n.put("cache_read_input_tokens", u.cacheReadInputTokens());
    ObjectNode creation = n.putObject("cache_creation");
    creation.put("ephemeral_5m_input_tokens", u.cacheWrite5mInputTokens());
    creation.put("ephemeral_1h_input_tokens", u.cacheWrite1hInputTokens());
    n.put("output_tokens", outputTokens);
    n.put("service_tier", "standard");
    if (u.webSearchRequests() > 0) {
      ObjectNode tools = n.putObject("server_tool_use");
      tools.put("web_search_requests", u.webSearchRequests());
      tools.put("web_fetch_requests", 0);
    }
    return n;
  }

  static ObjectNode message(MessagePlan p) {
    ObjectNode m = messageHeader(p);
    ArrayNode content = m.putArray("content");
    if (p.thinking() != null) {
      ObjectNode t = content.addObject();
      t.put("type", "thinking");
      t.put("thinking", p.thinking());
      t.put("signature", signature());
    }
    ObjectNode text = content.addObject();
    text.put("type", "text");
    text.put("text", p.text());
    m.put("stop_reason", p.stopReason());
    m.putNull("stop_sequence");
    m.set("usage", usage(p.usage(), p.usage().outputTokens()));
    return m;
  }

  private static ObjectNode messageHeader(MessagePlan p) {
    ObjectNode m = Json.object();
    m.put("id", p.id());
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", p.model());
    return m;
  }

  /** The data of each event of a streamed message, in order; {@code type} names the SSE event. */
  static List<ObjectNode> streamEvents(MessagePlan p, boolean ping) {
    List<ObjectNode> events = new ArrayList<>();
    ObjectNode start = Json.object();
    start.put("type", "message_start");
    ObjectNode m = messageHeader(p);
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    m.set("usage", usage(p.usage(), Math.min(1, p.usage().outputTokens())));
    start.set("message", m);
    events.add(start);
    int index = 0;
    if (p.thinking() != null) {
      ObjectNode block = Json.object();
      block.put("type", "thinking");
      block.put("thinking", "");
      block.put("signature", "");
      events.add(blockStart(index, block));
      for (String piece : pieces(p.thinking())) {
        ObjectNode d = Json.object();
        d.put("type", "thinking_delta");
        d.put("thinking", piece);
        events.add(blockDelta(index, d));
      }
      ObjectNode sig = Json.object();
      sig.put("type", "signature_delta");
      sig.put("signature", signature());
      events.add(blockDelta(index, sig));
      events.add(blockStop(index));
      index++;
    }
    ObjectNode block = Json.object();
    block.put("type", "text");
    block.put("text", "");
    events.add(blockStart(index, block));
    if (ping) {
      ObjectNode pingEvent = Json.object();
      pingEvent.put("type", "ping");
      events.add(pingEvent);
    }
    for (String piece : pieces(p.text())) {
      ObjectNode d = Json.object();
      d.put("type", "text_delta");
      d.put("text", piece);
      events.add(blockDelta(index, d));
    }
    events.add(blockStop(index));
    ObjectNode delta = Json.object();
    delta.put("type", "message_delta");
    ObjectNode inner = delta.putObject("delta");
    inner.put("stop_reason", p.stopReason());
    inner.putNull("stop_sequence");
    AnthropicTokenUsage u = p.usage();
    ObjectNode usage = delta.putObject("usage");
    usage.put("input_tokens", u.inputTokens());
    usage.put("cache_creation_input_tokens", u.cacheCreationInputTokens());
    usage.put("cache_read_input_tokens", u.cacheReadInputTokens());
    usage.put("output_tokens", u.outputTokens());
    if (u.webSearchRequests() > 0) {
      ObjectNode tools = usage.putObject("server_tool_use");
      tools.put("web_search_requests", u.webSearchRequests());
      tools.put("web_fetch_requests", 0);
    }
    events.add(delta);
    ObjectNode stop = Json.object();
    stop.put("type", "message_stop");
    events.add(stop);
    return events;
  }

  /** An SSE frame: {@code event: TYPE} and {@code data: JSON}. */
  static String sse(JsonNode event) {
    return "event: " + event.path("type").asText() + "\ndata: " + Json.write(event) + "\n\n";
  }

  /** Anthropic's error body: {@code {"type":"error","error":{"type":...,"message":...},"request_id":...}}. */
  static ObjectNode errorBody(String type, String message, String requestId) {
    ObjectNode body = Json.object();
    body.put("type", "error");
    ObjectNode error = body.putObject("error");
    error.put("type", type);
    error.put("message", message);
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    return body;
  }

  private static ObjectNode blockStart(int index, ObjectNode block) {
    ObjectNode e = Json.object();
    e.put("type", "content_block_start");
    e.put("index", index);
    e.set("content_block", block);
    return e;
  }

  private static ObjectNode blockDelta(int index, ObjectNode delta) {
    ObjectNode e = Json.object();
    e.put("type", "content_block_delta");
    e.put("index", index);
    e.set("delta", delta);
    return e;
  }

  private static ObjectNode blockStop(int index) {
    ObjectNode e = Json.object();
    e.put("type", "content_block_stop");
    e.put("index", index);
    return e;
  }

  private static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += TEXT_DELTA_CHARS) {
      pieces.add(text.substring(i, Math.min(text.length(), i + TEXT_DELTA_CHARS)));
    }
    if (pieces.isEmpty()) {
      pieces.add("");
    }
    return pieces;
  }

  private static String signature() {
    return "EqQBCkgIARABGAIiQ" + randomId(64);
  }
}
