package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as {@link MockOpenAiServer} received it, recorded before any reply was chosen.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the request path without query, e.g. {@code /v1/chat/completions}
 * @param query the raw query string, or {@code ""}
 * @param headers every request header, with case-insensitive keys (iteration order: alphabetical)
 * @param body the request body decoded as UTF-8 ({@code ""} if none)
 * @param receivedAt when the server finished reading the body
 */
public record RecordedRequest(
    String method, String path, String query, Map<String, List<String>> headers, String body, Instant receivedAt) {

  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? "" : body;
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The first value of header {@code name} (case-insensitive). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The body parsed as JSON (a fresh copy on every call), or a {@link MissingNode} if the body is empty or not
   * JSON.
   */
  public JsonNode json() {
    try {
      JsonNode node = body.isEmpty() ? null : Json.MAPPER.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (Exception e) {
      return MissingNode.getInstance();
    }
  }

  /** Whether the body is a JSON object with {@code "stream": true}. */
  public boolean isStream() {
    return json().path("stream").asBoolean(false);
  }

  /** {@code model} from the JSON body, if any. */
  public Optional<String> model() {
    JsonNode model = json().path("model");
    return model.isTextual() ? Optional.of(model.asText()) : Optional.empty();
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " (" + body.length() + " chars)";
  }
}
