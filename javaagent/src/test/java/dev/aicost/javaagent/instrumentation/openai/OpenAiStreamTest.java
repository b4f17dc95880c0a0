package dev.aicost.javaagent.instrumentation.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.aicost.bootstrap.AiCallHandle;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a streamed chat completion reports on the call's handle, chunk by chunk. */
class OpenAiStreamTest {

  private static final ObjectMapper JSON = ObjectMappers.jsonMapper();

  /** Every call made on the handle, as {@code name[args]}. */
  private final List<String> reported = new ArrayList<>();

  private final AiCallHandle handle =
      (AiCallHandle)
          Proxy.newProxyInstance(
              AiCallHandle.class.getClassLoader(),
              new Class<?>[] {AiCallHandle.class},
              (proxy, method, args) -> {
                reported.add(method.getName() + (args == null ? "" : Arrays.toString(args)));
                return method.getReturnType() == AiCallHandle.class ? proxy : null;
              });

  private static ChatCompletionChunk chunk(String json) throws Exception {
    return JSON.readValue(json, ChatCompletionChunk.class);
  }

  private static String chunkJson(String id, String model, String choices, String extra) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"" + model
        + "\",\"choices\":" + choices + extra + "}";
  }

  @Test
  void theResponseIsNamedOnceAndTheLastChunksCarryFinishReasonAndUsage() throws Exception {
    OpenAiCall call = new OpenAiCall(handle, OpenAiCall.CHAT, true);
    String delta = "[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]";
    // Azure's first chunk carries the prompt's content-filter results only, with an empty id and model.
    call.onStreamItem(chunk(chunkJson("", "", "[]", ",\"prompt_filter_results\":[]")));
    for (int i = 0; i < 5; i++) {
      call.onStreamItem(chunk(chunkJson("chatcmpl-1", "gpt-4o-2024-08-06", delta, ",\"service_tier\":\"default\"")));
    }
    call.onStreamItem(
        chunk(
            chunkJson(
                "chatcmpl-1",
                "gpt-4o-2024-08-06",
                "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]",
                ",\"service_tier\":\"default\"")));
    call.onStreamItem(
        chunk(
            chunkJson(
                "chatcmpl-1",
                "gpt-4o-2024-08-06",
                "[]",
                ",\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":350,\"total_tokens\":1550,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":200}}")));
    call.onStreamComplete();

    assertThat(reported)
        .containsExactly(
            "responseId[chatcmpl-1]",
            "responseModel[gpt-4o-2024-08-06]",
            "responseServiceTier[default]",
            "finishReason[stop]",
            "usage[1200, 350]",
            "cacheReadTokens[200]",
            "audioInputTokens[0]",
            "reasoningTokens[0]",
            "audioOutputTokens[0]",
            "end");
  }

  @Test
  void aStreamWithoutUsageSaysWhy() throws Exception {
    OpenAiCall call = new OpenAiCall(handle, OpenAiCall.CHAT, false);
    call.onStreamItem(
        chunk(chunkJson("chatcmpl-2", "gpt-4o-mini", "[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]", "")));
    call.onStreamComplete();
    assertThat(reported).startsWith("responseId[chatcmpl-2]", "responseModel[gpt-4o-mini]", "finishReason[length]");
    assertThat(reported).anyMatch(r -> r.startsWith("usageUnavailable["));
    assertThat(reported).last().isEqualTo("end");
  }
}
