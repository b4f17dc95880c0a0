package dev.aicost.javaagent.instrumentation.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallStart;
import org.junit.jupiter.api.Test;

class ClientEndpointTest {

  @Test
  void derivesServerFromTheBaseUrlWithTheSchemesDefaultPort() {
    Object client = new Object();
    AiCallStart https = ClientEndpoint.of(client, "openai", null, "https://api.openai.com/v1").start("chat");
    assertThat(https.provider()).isEqualTo("openai");
    assertThat(https.operation()).isEqualTo("chat");
    assertThat(https.serverAddress()).isEqualTo("api.openai.com");
    assertThat(https.serverPort()).isEqualTo(443);

    AiCallStart http = ClientEndpoint.of(client, "openai", null, "http://127.0.0.1:8080/v1").start("embeddings");
    assertThat(http.serverAddress()).isEqualTo("127.0.0.1");
    assertThat(http.serverPort()).isEqualTo(8080);
    assertThat(ClientEndpoint.of(client, "openai", null, "http://localhost/v1").start("chat").serverPort())
        .isEqualTo(80);
  }

  @Test
  void regionIsSetOnlyWhenKnownAndNoServerWithoutAHost() {
    Object client = new Object();
    AiCallStart bedrock = ClientEndpoint.of(client, "aws.bedrock", "us-east-1", null).start("chat");
    assertThat(bedrock.region()).isEqualTo("us-east-1");
    assertThat(bedrock.serverAddress()).isNull();
    assertThat(bedrock.serverPort()).isLessThanOrEqualTo(0);

    AiCallStart bad = ClientEndpoint.of(client, "openai", null, "not a uri").start("chat");
    assertThat(bad.region()).isNull();
    assertThat(bad.serverAddress()).isNull();
  }

  @Test
  void eachStartIsANewObjectAndTheEndpointIsForItsClientOnly() {
    Object client = new Object();
    ClientEndpoint e = ClientEndpoint.of(client, "openai", null, "https://api.openai.com/v1");
    assertThat(e.start("chat")).isNotSameAs(e.start("chat"));
    assertThat(e.isFor(client)).isTrue();
    assertThat(e.isFor(new Object())).isFalse();
    assertThat(e.isFor(null)).isFalse();
  }

  @Test
  void hostOfAUrl() {
    assertThat(ClientEndpoint.host("https://x.openai.azure.com/openai/deployments/d")).isEqualTo("x.openai.azure.com");
    assertThat(ClientEndpoint.host(null)).isNull();
    assertThat(ClientEndpoint.host("::")).isNull();
  }
}
