package dev.aicost.javaagent.instrumentation.openai;

import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseUsage;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.javaagent.instrumentation.common.Causes;

/**
 * Reads openai-java response objects into an {@link AiCallHandle}, normalized: OpenAI's {@code prompt_tokens} /
 * {@code input_tokens} already include cached and audio tokens, and {@code completion_tokens} /
 * {@code output_tokens} include reasoning and audio output, which is aicost's convention as is.
 */
final class OpenAiUsage {

  private OpenAiUsage() {}

  static void report(AiCallHandle h, ChatCompletion c) {
    h.responseId(c.id()).responseModel(c.model());
    c.serviceTier().ifPresent(t -> h.responseServiceTier(t.asString()));
    for (ChatCompletion.Choice choice : c.choices()) {
      h.finishReason(choice.finishReason().asString());
    }
    if (c.usage().isPresent()) {
      report(h, c.usage().get());
    } else {
      h.usageUnavailable("no_usage_in_response");
    }
  }

  /** One streamed chunk; the usage arrives on the last one when {@code stream_options.include_usage} is set. */
  static boolean reportChunk(AiCallHandle h, ChatCompletionChunk chunk) {
    h.responseId(chunk.id()).responseModel(chunk.model());
    chunk.serviceTier().ifPresent(t -> h.responseServiceTier(t.asString()));
    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
      choice.finishReason().ifPresent(r -> h.finishReason(r.asString()));
    }
    if (chunk.usage().isPresent()) {
      report(h, chunk.usage().get());
      return true;
    }
    return false;
  }

  static void report(AiCallHandle h, CompletionUsage u) {
    long cached = 0;
    long audioIn = 0;
    long reasoning = 0;
    long audioOut = 0;
    if (u.promptTokensDetails().isPresent()) {
      CompletionUsage.PromptTokensDetails d = u.promptTokensDetails().get();
      cached = d.cachedTokens().orElse(0L);
      audioIn = d.audioTokens().orElse(0L);
    }
    if (u.completionTokensDetails().isPresent()) {
      CompletionUsage.CompletionTokensDetails d = u.completionTokensDetails().get();
      reasoning = d.reasoningTokens().orElse(0L);
      audioOut = d.audioTokens().orElse(0L);
    }
    h.usage(u.promptTokens(), u.completionTokens())
        .cacheReadTokens(cached)
        .audioInputTokens(audioIn)
        .reasoningTokens(reasoning)
        .audioOutputTokens(audioOut);
  }

  static void report(AiCallHandle h, Response r) {
    h.responseId(r.id()).responseModel(modelName(r.model()));
    r.serviceTier().ifPresent(t -> h.responseServiceTier(t.asString()));
    r.status().ifPresent(s -> h.finishReason(s.asString()));
    long webSearches = 0;
    for (ResponseOutputItem item : r.output()) {
      if (item.isWebSearchCall()) {
        webSearches++;
      }
    }
    if (r.usage().isPresent()) {
      ResponseUsage u = r.usage().get();
      long cached = 0;
      long reasoning = 0;
      try {
        cached = u.inputTokensDetails().cachedTokens();
      } catch (RuntimeException absent) {
        // OpenAI always sends it; an OpenAI-compatible server may not
      }
      try {
        reasoning = u.outputTokensDetails().reasoningTokens();
      } catch (RuntimeException absent) {
        // likewise
      }
      h.usage(u.inputTokens(), u.outputTokens())
          .cacheReadTokens(cached)
          .reasoningTokens(reasoning)
          .webSearchCalls(webSearches);
    } else {
      h.usageUnavailable("no_usage_in_response");
    }
  }

  static void report(AiCallHandle h, CreateEmbeddingResponse r) {
    h.responseModel(r.model()).usage(r.usage().promptTokens(), 0);
  }

  static String modelName(ResponsesModel m) {
    if (m == null) {
      return null;
    }
    if (m.string().isPresent()) {
      return m.string().get();
    }
    if (m.chat().isPresent()) {
      return m.chat().get().asString();
    }
    if (m.only().isPresent()) {
      return m.only().get().asString();
    }
    return null;
  }

  /** {@code error.type}: the HTTP status when OpenAI answered with an error, else the exception's class. */
  static String errorType(Throwable t) {
    Throwable c = Causes.unwrap(t);
    if (c instanceof OpenAIServiceException) {
      return Integer.toString(((OpenAIServiceException) c).statusCode());
    }
    return c.getClass().getName();
  }
}
