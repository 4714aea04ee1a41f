package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import kr.go.procurement.platform.http.UpstreamRetry.Attempt;
import org.junit.jupiter.api.Test;

class UpstreamRetryTest {

  private static final Throwable CLOSED = new HttpClosedException("Connection was closed");
  private static final Throwable RESET = new IOException("Connection reset by peer");

  @Test
  void idempotentRequestsOnAReusedConnectionClosedBeforeAnAnswerAreRetried() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT,
        HttpMethod.DELETE}) {
      assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(method, true, true, CLOSED))).as("%s", method)
          .isTrue();
      assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(method, true, true, RESET))).as("%s", method)
          .isTrue();
    }
  }

  @Test
  void postAndPatchAreRetriedOnlyWhenTheirWriteFailed() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PATCH}) {
      assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(method, true, true, CLOSED))).isFalse();
      assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(method, true, false, CLOSED))).isTrue();
    }
  }

  @Test
  void anyMethodIsRetriedWhenTheInstanceHadSaidItIsStopping() {
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(HttpMethod.POST, true, true, true, CLOSED)))
        .as("a gracefully stopping service closes only connections without a request it took").isTrue();
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(HttpMethod.POST, false, true, true, CLOSED)))
        .as("also on a new connection its closing listener had just accepted").isTrue();
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(HttpMethod.POST, false, true, true,
        new TimeoutException("no answer")))).as("never a timeout: the service may be working on it").isFalse();
  }

  @Test
  void aFreshConnectionFailingOrATimeoutIsNeverRetried() {
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(new Attempt(HttpMethod.GET, false, true, CLOSED))).isFalse();
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(
        new Attempt(HttpMethod.GET, true, true, new TimeoutException("no answer")))).isFalse();
    assertThat(UpstreamRetry.mayRetryOnFreshConnection(
        new Attempt(HttpMethod.GET, true, true, new ConnectException("Connection refused")))).isFalse();
  }

  @Test
  void aRefusedConnectionIsRecognisedThroughWrappers() {
    assertThat(UpstreamRetry.refused(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    assertThat(UpstreamRetry.refused(CLOSED)).isFalse();
    assertThat(UpstreamRetry.refused(new io.netty.channel.ConnectTimeoutException("slow"))).isFalse();
  }
}
