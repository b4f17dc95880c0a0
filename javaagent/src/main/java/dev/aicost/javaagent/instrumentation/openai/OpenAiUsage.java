package dev.aicost.javaagent.instrumentation.openai;

import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseUsage;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.javaagent.instrumentation.common.Causes;
import java.util.Optional;

/**
 * Reads openai-java response objects into an {@link AiCallHandle}, normalized: OpenAI's {@code prompt_tokens} /
 * {@code input_tokens} already include cached and audio tokens, and {@code completion_tokens} /
 * {@code output_tokens} include reasoning and audio output, which is aicost's convention as is.
 */
final class OpenAiUsage {

  private OpenAiUsage() {}

  static void report(AiCallHandle h, ChatCompletion c) {
    h.responseId(c.id()).responseModel(c.model());
    Optional<ChatCompletion.ServiceTier> tier = c.serviceTier();
    if (tier.isPresent()) {
      h.responseServiceTier(tier.get().asString());
    }
    for (ChatCompletion.Choice choice : c.choices()) {
      h.finishReason(choice.finishReason().asString());
    }
    if (c.usage().isPresent()) {
      report(h, c.usage().get());
    } else {
      h.usageUnavailable("no_usage_in_response");
    }
  }

  /**
   * The response id, model and service tier of a streamed chunk; {@code true} once a chunk named the response. Every
   * chunk repeats them, so they are read until then only: per chunk, the application's thread pays for a check, not
   * for three reports (docs/performance.md). Azure's first chunk, with the prompt's content-filter results alone, has
   * an empty id and model and does not count.
   */
  static boolean reportIdentity(AiCallHandle h, ChatCompletionChunk chunk) {
    String id = chunk.id();
    if (id.isEmpty()) {
      return false;
    }
    h.responseId(id).responseModel(chunk.model());
    Optional<ChatCompletionChunk.ServiceTier> tier = chunk.serviceTier();
    if (tier.isPresent()) {
      h.responseServiceTier(tier.get().asString());
    }
    return true;
  }

  /**
   * The finish reasons and usage of one streamed chunk; {@code true} when it carried the usage (the last one does
   * when {@code stream_options.include_usage} is set). No lambdas: this runs for every chunk.
   */
  static boolean reportChunk(AiCallHandle h, ChatCompletionChunk chunk) {
    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
      Optional<ChatCompletionChunk.Choice.FinishReason> reason = choice.finishReason();
      if (reason.isPresent()) {
        h.finishReason(reason.get().asString());
      }
    }
    Optional<CompletionUsage> usage = chunk.usage();
    if (usage.isPresent()) {
      report(h, usage.get());
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
    Optional<Response.ServiceTier> tier = r.serviceTier();
    if (tier.isPresent()) {
      h.responseServiceTier(tier.get().asString());
    }
    Optional<ResponseStatus> status = r.status();
    if (status.isPresent()) {
      h.finishReason(status.get().asString());
    }
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
