package dev.aicost.examples;

import dev.aicost.sdk.CostCenter;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * The finance team's invoice assistant, on Amazon Bedrock: Claude 3.5 Haiku through the US cross-region inference
 * profile, called with the AWS SDK's Converse API against the embedded mock Bedrock endpoint (dummy credentials,
 * signed requests, no network).
 */
final class BedrockFinance {

  static final String MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

  private final BedrockRuntimeClient bedrock;

  private BedrockFinance(BedrockRuntimeClient bedrock) {
    this.bedrock = bedrock;
  }

  static void run(URI endpoint) {
    try (BedrockRuntimeClient bedrock = BedrockRuntimeClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDEMO", "demo-secret")))
        .build()) {
      BedrockFinance finance = new BedrockFinance(bedrock);
      for (String invoice : new String[] {"INV-1042: 3 seats, team plan, annual", "INV-1043: usage overage, May",
          "INV-1044: duplicate charge refunded"}) {
        finance.summarizeInvoice(invoice);
      }
      finance.auditExpense("Taxi 84 EUR, dinner 212 EUR for 3 people, hotel 2 nights 390 EUR");
    }
  }

  @CostCenter(team = "finance", feature = "invoice-summary")
  void summarizeInvoice(String invoice) {
    ConverseResponse r = converse("Summarize this invoice for the ledger in one line: " + invoice, 60);
    System.out.println("  [finance/invoice-summary] " + DemoApp.abbreviate(text(r)));
  }

  @CostCenter(team = "finance", feature = "expense-audit")
  void auditExpense(String expenses) {
    ConverseResponse r = converse("Flag any expense above policy: " + expenses, 200);
    System.out.println("  [finance/expense-audit] " + r.usage().inputTokens() + " input, "
        + r.usage().outputTokens() + " output tokens on Bedrock");
  }

  private ConverseResponse converse(String prompt, int maxTokens) {
    return bedrock.converse(b -> b.modelId(MODEL)
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(prompt)).build())
        .inferenceConfig(c -> c.maxTokens(maxTokens)));
  }

  private static String text(ConverseResponse r) {
    return r.output().message().content().get(0).text();
  }
}
