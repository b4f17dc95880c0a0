package dev.aicost.javaagent.instrumentation.anthropic;

import dev.aicost.bootstrap.AiCallHandle;
import java.util.Optional;

/**
 * Anthropic's usage of one message, normalized for aicost. Anthropic's {@code input_tokens} excludes the prompt
 * cache: reads ({@code cache_read_input_tokens}) and writes ({@code cache_creation_input_tokens}, split into
 * {@code ephemeral_5m_input_tokens} / {@code ephemeral_1h_input_tokens} when the API reports the split, else all
 * 5-minute writes) are added to it. {@code output_tokens} already includes extended thinking. Server-side web
 * searches ({@code server_tool_use.web_search_requests}) are billed per request.
 */
final class AnthropicTokens {

  long input;
  long output;
  long cacheRead;
  long cacheCreation;
  long write5m;
  long write1h;
  boolean split;
  long webSearches;

  /** The usage of a whole message (or of {@code message_start}, whose output count is provisional). */
  void read(long input, long output, Optional<Long> cacheRead, Optional<Long> cacheCreation) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead.orElse(0L);
    this.cacheCreation = cacheCreation.orElse(0L);
  }

  /** The usage of a {@code message_delta}: the cumulative output and, on newer API versions, the final input side. */
  void delta(long output, Optional<Long> input, Optional<Long> cacheRead, Optional<Long> cacheCreation) {
    this.output = output;
    input.ifPresent(v -> this.input = v);
    cacheRead.ifPresent(v -> this.cacheRead = v);
    cacheCreation.ifPresent(v -> this.cacheCreation = v);
  }

  /** Reports the counts on the call, in aicost's normalized convention. */
  void report(AiCallHandle h) {
    long creation = Math.max(cacheCreation, write5m + write1h);
    long fiveMinutes = split ? creation - write1h : creation;
    long oneHour = split ? write1h : 0;
    h.usage(input + cacheRead + creation, output)
        .cacheReadTokens(cacheRead)
        .cacheWrite5mTokens(fiveMinutes)
        .cacheWrite1hTokens(oneHour)
        .webSearchCalls(webSearches);
  }
}
