package dev.aicost.examples;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.ResponseCreateParams;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import dev.aicost.sdk.CostCenter;
import dev.aicost.testing.MockAnthropicServer;
import dev.aicost.testing.MockBedrockServer;
import dev.aicost.testing.MockOpenAiServer;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A small "product" with four teams making a realistic mix of calls: OpenAI (sync, streaming, cached prompts,
 * embeddings, the Responses API), Anthropic Claude (prompt caching with an explicit breakpoint, streaming) and Amazon
 * Bedrock ({@link BedrockFinance}), against embedded mock servers: no network, no key.
 *
 * <p>The code knows nothing of metering except {@code @CostCenter} and one {@link AiCost} scope; run it with
 * {@code -javaagent:aicost-javaagent.jar} and every call is priced and attributed.
 */
public final class DemoApp {

  /** A long, stable system prompt: repeated calls hit the provider's prompt cache, as in production. */
  static final String SUPPORT_PLAYBOOK = supportPlaybook();

  /** The contract-review policy: long and stable, so it is cached with an explicit breakpoint. */
  static final String CONTRACT_POLICY = contractPolicy();

  private final OpenAIClient client;
  private final AnthropicClient claude;

  DemoApp(OpenAIClient client, AnthropicClient claude) {
    this.client = client;
    this.claude = claude;
  }

  public static void main(String[] args) {
    try (MockOpenAiServer server = MockOpenAiServer.start();
        MockAnthropicServer anthropic = MockAnthropicServer.start();
        MockBedrockServer bedrock = MockBedrockServer.start()) {
      System.out.println("Mock OpenAI server on " + server.baseUrl() + ", mock Anthropic server on "
          + anthropic.baseUrl() + ", mock Bedrock server on " + bedrock.endpoint() + " (no network is used)");
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-demo").build();
      AnthropicClient claude =
          AnthropicOkHttpClient.builder().baseUrl(anthropic.baseUrl()).apiKey("sk-ant-demo").build();
      try {
        new DemoApp(client, claude).run();
      } finally {
        client.close();
        claude.close();
      }
      BedrockFinance.run(bedrock.endpoint());
      System.out.println("Made " + (server.requestCount() + anthropic.requests().size() + bedrock.requests().size())
          + " API calls.");
    }
  }

  void run() {
    Search search = new Search();
    Support support = new Support();
    for (String prefix : List.of("how to", "best pizza", "java agent", "cheap flights", "weather in")) {
      search.autocomplete(prefix);
    }
    search.semanticSearch("refund policy for damaged items");
    search.semanticSearch("reset password without email");
    for (int ticket = 1; ticket <= 4; ticket++) {
      support.answerTicket(ticket, "Customer " + ticket + " cannot log in after changing their email address.");
    }
    support.summarizeConversation("The customer asked about invoice 1042 and a duplicate charge; we refunded it.");
    support.summarizeConversation("The customer wanted to upgrade to the team plan and add five seats.");
    // A call outside any @CostCenter method, attributed with a programmatic scope instead.
    try (AiCostScope scope = AiCost.attribute().team("support").feature("answer-ticket").customer("globex").open()) {
      support.escalate("Legal threat in ticket 5: needs a careful answer.");
    }
    Legal legal = new Legal();
    for (String contract : List.of("MSA with Initech", "DPA with Globex", "Reseller agreement with Umbrella")) {
      legal.reviewContract(contract);
    }
    legal.classifyClause("The supplier's aggregate liability shall not exceed the fees paid in the last 12 months.");
  }

  /** The legal team: contract review on Claude, with the policy cached (the first review writes it, later ones read). */
  @CostCenter(team = "legal", agent = "contract-reviewer")
  final class Legal {

    @CostCenter(feature = "contract-review")
    void reviewContract(String contract) {
      Message review =
          claude.messages().create(
              MessageCreateParams.builder()
                  .model("claude-sonnet-4-5")
                  .maxTokens(400)
                  .systemOfTextBlockParams(List.of(TextBlockParam.builder()
                      .text(CONTRACT_POLICY)
                      .cacheControl(CacheControlEphemeral.builder().build())
                      .build()))
                  .addUserMessage("Review the " + contract + " against the policy and list the deviations.")
                  .build());
      long read = review.usage().cacheReadInputTokens().orElse(0L);
      long written = review.usage().cacheCreationInputTokens().orElse(0L);
      System.out.println("  [legal/contract-review] " + contract + ": "
          + (read > 0 ? read + " policy tokens read from the prompt cache" : written + " policy tokens cached"));
    }

    @CostCenter(feature = "clause-classifier")
    void classifyClause(String clause) {
      StringBuilder text = new StringBuilder();
      try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
          claude.messages().createStreaming(
              MessageCreateParams.builder()
                  .model("claude-haiku-4-5")
                  .maxTokens(40)
                  .addUserMessage("Classify this clause (liability, termination, IP, other): " + clause)
                  .build())) {
        stream.stream().forEach(e -> e.contentBlockDelta()
            .flatMap(d -> d.delta().text())
            .ifPresent(t -> text.append(t.text())));
      }
      System.out.println("  [legal/clause-classifier] streamed: " + abbreviate(text.toString()));
    }
  }

  /** The search team. */
  @CostCenter(team = "search")
  final class Search {

    @CostCenter(feature = "autocomplete")
    void autocomplete(String prefix) {
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model(ChatModel.GPT_4O_MINI)
              .addSystemMessage("Complete the user's search query. Answer with 3 suggestions.")
              .addUserMessage(prefix)
              .maxCompletionTokens(24)
              .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
              .build();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
        String text =
            stream.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse(""))
                .collect(Collectors.joining());
        System.out.println("  [search/autocomplete] '" + prefix + "' -> " + abbreviate(text));
      }
    }

    @CostCenter(feature = "semantic-search")
    void semanticSearch(String query) {
      var embedding =
          client.embeddings().create(
              EmbeddingCreateParams.builder().model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL).input(query).build());
      ChatCompletion rerank =
          client.chat().completions().create(
              ChatCompletionCreateParams.builder()
                  .model(ChatModel.GPT_4O_MINI)
                  .addUserMessage("Rerank the top documents for: " + query)
                  .maxCompletionTokens(60)
                  .build());
      System.out.println(
          "  [search/semantic-search] '" + query + "' -> " + embedding.data().get(0).embedding().size()
              + "-dim vector, reranked: " + abbreviate(rerank.choices().get(0).message().content().orElse("")));
    }
  }

  /** The support team's assistant. */
  @CostCenter(team = "support", agent = "support-assistant")
  final class Support {

    @CostCenter(feature = "answer-ticket", task = "answer-ticket")
    void answerTicket(int ticket, String question) {
      ChatCompletion answer =
          client.chat().completions().create(
              ChatCompletionCreateParams.builder()
                  .model(ChatModel.GPT_4O)
                  .addSystemMessage(SUPPORT_PLAYBOOK)
                  .addUserMessage(question)
                  .maxCompletionTokens(300)
                  .build());
      long cached =
          answer.usage().flatMap(u -> u.promptTokensDetails()).flatMap(d -> d.cachedTokens()).orElse(0L);
      System.out.println(
          "  [support/answer-ticket] ticket " + ticket + " answered"
              + (cached > 0 ? " (" + cached + " prompt tokens served from cache)" : ""));
    }

    @CostCenter(feature = "summarize")
    void summarizeConversation(String conversation) {
      var response =
          client.responses().create(
              ResponseCreateParams.builder()
                  .model(ChatModel.GPT_4_1_MINI)
                  .input("Summarize for the CRM: " + conversation)
                  .maxOutputTokens(120)
                  .build());
      String summary =
          response.output().stream()
              .flatMap(item -> item.message().stream())
              .flatMap(message -> message.content().stream())
              .flatMap(content -> content.outputText().stream())
              .map(text -> text.text())
              .collect(Collectors.joining());
      System.out.println("  [support/summarize] " + abbreviate(summary));
    }

    void escalate(String issue) {
      ChatCompletion answer =
          client.chat().completions().create(
              ChatCompletionCreateParams.builder()
                  .model(ChatModel.O4_MINI)
                  .addSystemMessage(SUPPORT_PLAYBOOK)
                  .addUserMessage(issue)
                  .maxCompletionTokens(800)
                  .build());
      long reasoning =
          answer.usage().flatMap(u -> u.completionTokensDetails()).flatMap(d -> d.reasoningTokens()).orElse(0L);
      System.out.println("  [support/escalate] reasoning model used " + reasoning + " reasoning tokens");
    }
  }

  static String abbreviate(String s) {
    String oneLine = s.replace('\n', ' ').trim();
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }

  private static String contractPolicy() {
    StringBuilder sb = new StringBuilder("You review contracts for Acme Cloud's legal team. Apply this policy.\n");
    String[] rules = {
      "Liability: cap at 12 months of fees; never accept unlimited liability except for confidentiality breaches.",
      "Termination: 30 days for convenience, immediate for material breach not cured within 15 days.",
      "Data protection: processing only on documented instructions; sub-processors listed and notified 30 days ahead.",
      "IP: customer owns its data and outputs; Acme keeps the platform and its improvements.",
      "Governing law: Delaware or England and Wales; no jury trial waivers in consumer contracts."
    };
    for (int i = 0; i < 14; i++) {
      for (String r : rules) {
        sb.append(i + 1).append(". ").append(r).append('\n');
      }
    }
    return sb.toString();
  }

  private static String supportPlaybook() {
    StringBuilder sb = new StringBuilder("You are the support assistant of Acme Cloud. Follow the playbook.\n");
    String[] sections = {
      "Accounts: verify identity with two factors before any change. Never reveal whether an email exists.",
      "Billing: refunds up to 100 USD are automatic; above that, open a finance ticket with the invoice number.",
      "Outages: link the status page, apologise once, give the incident number, never promise a time.",
      "Security: passwords are never sent by email; reset links expire after 30 minutes.",
      "Tone: short sentences, no jargon, one question at a time, end with the next step."
    };
    for (int i = 0; i < 12; i++) {
      for (String s : sections) {
        sb.append(i + 1).append(". ").append(s).append('\n');
      }
    }
    return sb.toString();
  }
}
