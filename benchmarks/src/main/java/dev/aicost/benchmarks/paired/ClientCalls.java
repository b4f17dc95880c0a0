package dev.aicost.benchmarks.paired;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.Iterator;

/**
 * The calls the per-call harnesses time: one blocking and one streamed chat completion with openai-java against a
 * base URL, handed out as {@link Runnable}s. {@link dev.aicost.benchmarks.PairedCallCost} loads this class once per copy of
 * openai-java (one class loader each), so it uses JDK types only at its boundary.
 */
public final class ClientCalls {

  /** Keeps the streamed chunks reachable so the loop is not optimized away. */
  static volatile Object sink;

  private ClientCalls() {}

  /** The blocking call's request. */
  public static ChatCompletionCreateParams chatParams() {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O)
        .addUserMessage("What is the capital of France?")
        .maxCompletionTokens(50)
        .build();
  }

  /** The streamed call's request, usage in the last chunk. */
  public static ChatCompletionCreateParams streamParams() {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage("Stream me a haiku")
        .maxCompletionTokens(30)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  /** {@code [blocking call, streamed call, close the client]}, each call made in full by {@code run()}. */
  public static Runnable[] against(String baseUrl) {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-bench").baseUrl(baseUrl).maxRetries(0).build();
    ChatCompletionCreateParams chat = chatParams();
    ChatCompletionCreateParams stream = streamParams();
    Runnable blocking = () -> client.chat().completions().create(chat);
    Runnable streamed =
        () -> {
          try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(stream)) {
            Iterator<ChatCompletionChunk> it = s.stream().iterator();
            while (it.hasNext()) {
              sink = it.next();
            }
          }
        };
    return new Runnable[] {blocking, streamed, client::close};
  }
}
