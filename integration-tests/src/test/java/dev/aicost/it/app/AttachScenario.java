package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Makes one call before the agent is attached at run time and one after, so that the second goes through classes
 * that were loaded (and must be retransformed) before the agent arrived.
 *
 * <p>Usage: {@code AttachScenario <baseUrl> <signal-file>}
 */
public final class AttachScenario {

  private AttachScenario() {}

  public static void main(String[] args) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(args[0]).maxRetries(0).build();
    client.chat().completions().create(OpenAiScenarios.chatParams("gpt-4o", "Before the agent"));
    System.out.println("RESULT before=done");
    System.out.println("READY " + ProcessHandle.current().pid());
    Path signal = Paths.get(args[1]);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(signal) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    var c = client.chat().completions().create(OpenAiScenarios.chatParams("gpt-4o", "After the agent"));
    System.out.println("RESULT after_id=" + c.id());
    client.close();
  }
}
