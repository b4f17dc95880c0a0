package dev.aicost.it.app;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/** One InvokeModel call with API that every bedrockruntime version has; for version-range tests. */
public final class MinimalBedrockApp {

  private MinimalBedrockApp() {}

  public static void main(String[] args) {
    try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
        .endpointOverride(URI.create(args[0]))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .build()) {
      InvokeModelResponse r = client.invokeModel(b -> b.modelId("anthropic.claude-3-haiku-20240307-v1:0")
          .contentType("application/json")
          .body(SdkBytes.fromUtf8String(BedrockScenarios.invokeBody("anthropic.claude-3-haiku-20240307-v1:0"))))
          .join();
      System.out.println("RESULT request_id=" + r.responseMetadata().requestId());
      System.out.println("RESULT body_length=" + r.body().asByteArray().length);
    }
  }
}
