package dev.aicost.benchmarks.startup;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The application of {@link dev.aicost.benchmarks.StartupBenchmark}: {@code java -jar hello-llm.jar BASE_URL} makes
 * one chat completion with openai-java and exits. It knows nothing of aicost. Before it exits it prints the heap in
 * use after a full collection ({@code HEAP_USED_BYTES=...}), which is what stays live after start-up.
 */
public final class HelloLlm {

  private HelloLlm() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-hello").baseUrl(args[0]).maxRetries(0).build();
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(ChatModel.GPT_4O_MINI)
                    .addUserMessage("Say hello")
                    .maxCompletionTokens(20)
                    .build());
    System.out.println("ANSWER " + c.choices().get(0).message().content().orElse(""));
    client.close();
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    System.out.println("HEAP_USED_BYTES=" + (rt.totalMemory() - rt.freeMemory()));
  }
}
