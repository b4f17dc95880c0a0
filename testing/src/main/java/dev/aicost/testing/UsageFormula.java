package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The deterministic token accounting of {@link MockOpenAiServer}, public so that a test can compute by hand what
 * the server will report. Every "character" is a UTF-16 code unit ({@link String#length()}).
 *
 * <h2>Prompt tokens</h2>
 *
 * A prompt is a sequence of <em>segments</em>; each segment costs {@value #MESSAGE_OVERHEAD_TOKENS} overhead
 * tokens plus {@code ceil(chars / }{@value #CHARS_PER_TOKEN}{@code )} text tokens:
 *
 * <pre>
 * prompt_tokens = Σ over segments (7 + ceil(chars(text) / 4))
 * </pre>
 *
 * Segments, in order:
 *
 * <ol>
 *   <li>the tool definitions, if the request has a non-empty {@code tools} (or legacy {@code functions}) array: its
 *       compact JSON serialization is the text;
 *   <li>Responses API only: {@code instructions} (a string), and the stored conversation of
 *       {@code previous_response_id};
 *   <li>one segment per chat message / Responses input item. The text of a message is its {@code content} if that
 *       is a string, else the concatenated {@code text} of its content parts, where a part without a string
 *       {@code text} (an image, a file, audio) contributes its compact JSON instead; a chat message's
 *       {@code tool_calls} / {@code function_call} add their compact JSON. A Responses {@code input} string is one
 *       user message; an input item that is not a message (e.g. {@code function_call_output}) contributes its
 *       compact JSON.
 * </ol>
 *
 * Example: {@code [{"role":"system","content":"You are terse."},{"role":"user","content":"Hello!"}]} costs
 * {@code (7 + ceil(14/4)) + (7 + ceil(6/4)) = 11 + 9 = 20} prompt tokens.
 *
 * <h2>Completion tokens</h2>
 *
 * {@code completion_tokens} = the request's limit ({@code max_completion_tokens}, else {@code max_tokens}; Responses
 * API: {@code max_output_tokens}), else {@value #DEFAULT_COMPLETION_TOKENS}; per choice, so a chat request with
 * {@code n} choices reports {@code n} times that. For a {@linkplain #isReasoningModel reasoning model},
 * {@code reasoning_tokens = floor(completion_tokens × 3 / 4)} (zero if the request asks for reasoning effort
 * {@code none}); they are part of {@code completion_tokens}, as at OpenAI. The visible text is
 * {@code completion_tokens − reasoning_tokens} tokens, i.e. exactly four characters per token (capped at
 * {@value #MAX_GENERATED_TEXT_TOKENS} tokens of text; usage is not capped). When a reply's content is scripted,
 * the visible tokens are {@code ceil(chars / 4)} and a reasoning model adds three times that in reasoning tokens.
 *
 * <h2>Prompt caching</h2>
 *
 * Like OpenAI's automatic prompt caching: the server remembers, per resolved model, every prompt of at least
 * {@value #CACHE_MIN_PREFIX_TOKENS} tokens it has served successfully. The shared prefix of a new prompt is the
 * longest common prefix, in tokens, with any remembered prompt; {@code cached_tokens} is
 * {@link #cachedTokens(long)}: the largest multiple of {@value #CACHE_GRANULARITY_TOKENS} not above the shared prefix
 * if that is at least {@value #CACHE_MIN_PREFIX_TOKENS}, else 0. Tokens are the 7 overhead tokens of a segment
 * (which depend only on its role) and its successive 4-character chunks of text, so two prompts share a prefix
 * exactly as long as their leading segments are equal.
 *
 * <p>{@code cache_write_tokens} (the Responses API requires it; chat carries it only when non-zero) is
 * {@link #cacheWriteTokens(long, long)}: the cacheable part of this prompt — the largest multiple of
 * {@value #CACHE_GRANULARITY_TOKENS} not above {@code prompt_tokens}, if the prompt has at least
 * {@value #CACHE_MIN_PREFIX_TOKENS} tokens — minus what was already a cache hit. Caching can be disabled per server,
 * in which case both numbers are 0.
 *
 * <h2>Embeddings</h2>
 *
 * {@code prompt_tokens} = Σ over inputs of {@code max(1, ceil(chars / 4))} for a string input, or the array length
 * for a token-array input; no overhead.
 */
public final class UsageFormula {

  /** Characters per text token. */
  public static final int CHARS_PER_TOKEN = 4;

  /** Overhead tokens per message (segment) of a prompt. */
  public static final int MESSAGE_OVERHEAD_TOKENS = 7;

  /** Completion tokens per choice when the request sets no limit. */
  public static final int DEFAULT_COMPLETION_TOKENS = 64;

  /** Reasoning models spend this share (numerator / 4) of their completion tokens reasoning. */
  public static final int REASONING_QUARTERS = 3;

  /** Prompts shorter than this are not cached, as at OpenAI. */
  public static final int CACHE_MIN_PREFIX_TOKENS = 1024;

  /** Cache hits come in increments of this many tokens, as at OpenAI. */
  public static final int CACHE_GRANULARITY_TOKENS = 128;

  /** Upper bound of the generated reply text, in tokens (usage numbers are not capped). */
  public static final int MAX_GENERATED_TEXT_TOKENS = 4096;

  private static final Pattern O_SERIES = Pattern.compile("^o\\d+(-.*)?$");

  private static final String PASSAGE =
      "This is a deterministic reply from the aicost mock OpenAI server. It stands in for a real model so that "
          + "tests and demos can meter realistic token usage without calling the network. ";

  private UsageFormula() {}

  /** {@code ceil(chars / 4)}; 0 for an empty or null string. */
  public static long textTokens(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Prompt tokens of a Chat Completions request body. */
  public static long chatPromptTokens(JsonNode request) {
    return chatPromptSequence(request).size();
  }

  /**
   * Input tokens of a Responses API request body, not counting the conversation of a {@code previous_response_id}
   * (which only the server that stored it knows).
   */
  public static long responsesInputTokens(JsonNode request) {
    List<String> seq = responsesHeaderSequence(request);
    seq.addAll(responsesInputSequence(request));
    return seq.size();
  }

  /** Prompt tokens of an embeddings request body. */
  public static long embeddingInputTokens(JsonNode request) {
    long total = 0;
    for (JsonNode input : embeddingInputs(request.path("input"))) {
      total += input.isArray() ? input.size() : Math.max(1, textTokens(input.asText()));
    }
    return total;
  }

  /**
   * Whether {@code model} is a reasoning model: the o-series ({@code o1}, {@code o3-mini}, {@code o4-mini-…}) and
   * {@code gpt-5*} except the non-reasoning {@code gpt-5*-chat*} variants.
   */
  public static boolean isReasoningModel(String model) {
    if (model == null) {
      return false;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (O_SERIES.matcher(m).matches()) {
      return true;
    }
    return m.startsWith("gpt-5") && !m.contains("-chat");
  }

  /** {@code floor(completionTokens × 3 / 4)} for a reasoning model, else 0. */
  public static long reasoningTokens(String model, long completionTokens) {
    return isReasoningModel(model) ? completionTokens * REASONING_QUARTERS / 4 : 0;
  }

  /**
   * OpenAI's cache-hit rounding: the largest multiple of {@value #CACHE_GRANULARITY_TOKENS} not above
   * {@code sharedPrefixTokens}, if that prefix is at least {@value #CACHE_MIN_PREFIX_TOKENS} tokens; else 0.
   */
  public static long cachedTokens(long sharedPrefixTokens) {
    if (sharedPrefixTokens < CACHE_MIN_PREFIX_TOKENS) {
      return 0;
    }
    return sharedPrefixTokens / CACHE_GRANULARITY_TOKENS * CACHE_GRANULARITY_TOKENS;
  }

  /**
   * Tokens newly written to the cache by a prompt of {@code promptTokens} of which {@code cachedTokens} were a hit:
   * {@code cachedTokens(promptTokens) − cachedTokens}, never negative.
   */
  public static long cacheWriteTokens(long promptTokens, long cachedTokens) {
    return Math.max(0, cachedTokens(promptTokens) - cachedTokens);
  }

  /** The reply text for {@code visibleTokens} tokens: exactly {@code 4 × min(visibleTokens, 4096)} characters. */
  public static String generatedText(long visibleTokens) {
    long tokens = Math.max(0, Math.min(visibleTokens, MAX_GENERATED_TEXT_TOKENS));
    int chars = (int) (tokens * CHARS_PER_TOKEN);
    StringBuilder sb = new StringBuilder(chars + PASSAGE.length());
    while (sb.length() < chars) {
      sb.append(PASSAGE);
    }
    sb.setLength(chars);
    return sb.toString();
  }

  // ------------------------------------------------------------------ token sequences (package-private)

  /** The token sequence of a chat request's prompt; its size is the prompt tokens. */
  static List<String> chatPromptSequence(JsonNode request) {
    List<String> seq = new ArrayList<>();
    appendToolsSegment(seq, request);
    for (JsonNode message : request.path("messages")) {
      appendSegment(seq, role(message), messageText(message));
    }
    return seq;
  }

  /** Tools and instructions of a Responses request (the part that precedes the conversation). */
  static List<String> responsesHeaderSequence(JsonNode request) {
    List<String> seq = new ArrayList<>();
    appendToolsSegment(seq, request);
    JsonNode instructions = request.path("instructions");
    if (instructions.isTextual()) {
      appendSegment(seq, "developer", instructions.asText());
    } else if (instructions.isArray()) {
      for (JsonNode item : instructions) {
        appendInputItem(seq, item);
      }
    }
    return seq;
  }

  /** The request's own {@code input}, as conversation segments. */
  static List<String> responsesInputSequence(JsonNode request) {
    List<String> seq = new ArrayList<>();
    JsonNode input = request.path("input");
    if (input.isTextual()) {
      appendSegment(seq, "user", input.asText());
    } else if (input.isArray()) {
      for (JsonNode item : input) {
        appendInputItem(seq, item);
      }
    }
    return seq;
  }

  static void appendSegment(List<String> seq, String role, String text) {
    for (int i = 0; i < MESSAGE_OVERHEAD_TOKENS; i++) {
      seq.add("\u0000" + role + '\u0000' + i);
    }
    for (int i = 0; i < text.length(); i += CHARS_PER_TOKEN) {
      seq.add(text.substring(i, Math.min(text.length(), i + CHARS_PER_TOKEN)));
    }
  }

  static List<JsonNode> embeddingInputs(JsonNode input) {
    List<JsonNode> inputs = new ArrayList<>();
    if (input.isTextual()) {
      inputs.add(input);
    } else if (input.isArray()) {
      boolean tokenArray = input.size() > 0;
      for (JsonNode element : input) {
        tokenArray &= element.isIntegralNumber();
      }
      if (tokenArray) {
        inputs.add(input);
      } else {
        input.forEach(inputs::add);
      }
    }
    return inputs;
  }

  private static void appendToolsSegment(List<String> seq, JsonNode request) {
    for (String field : new String[] {"tools", "functions"}) {
      JsonNode tools = request.path(field);
      if (tools.isArray() && tools.size() > 0) {
        appendSegment(seq, "tools", Json.write(tools));
      }
    }
  }

  private static void appendInputItem(List<String> seq, JsonNode item) {
    if (item.isTextual()) {
      appendSegment(seq, "user", item.asText());
    } else if (item.has("role")) {
      appendSegment(seq, role(item), messageText(item));
    } else {
      appendSegment(seq, item.path("type").asText("item"), Json.write(item));
    }
  }

  private static String role(JsonNode message) {
    return message.path("role").asText("user");
  }

  private static String messageText(JsonNode message) {
    StringBuilder sb = new StringBuilder();
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      sb.append(content.asText());
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.asText());
        } else if (part.path("text").isTextual()) {
          sb.append(part.path("text").asText());
        } else {
          sb.append(Json.write(part));
        }
      }
    } else if (content.isObject()) {
      sb.append(Json.write(content));
    }
    for (String field : new String[] {"tool_calls", "function_call"}) {
      JsonNode calls = message.path(field);
      if (!calls.isMissingNode() && !calls.isNull()) {
        sb.append(Json.write(calls));
      }
    }
    return sb.toString();
  }
}
