package dev.aicost.it.app;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;

/** One Messages call with the plainest API, which every anthropic-java version has. Usage: {@code <baseUrl>}. */
public final class MinimalAnthropicApp {
  public static void main(String[] args) {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(args[0]).apiKey("sk-ant-test").maxRetries(0).build();
    Message m = client.messages().create(
        MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).addUserMessage("Hello").build());
    System.out.println("RESULT id=" + m.id() + " model=" + m.model().asString());
    client.close();
  }
}
