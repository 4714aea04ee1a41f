package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HalTest {

  private WebClient client;
  private int port;
  private String local;

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx, router -> {
      router.get("/base").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("base", Hal.baseUrl(ctx))));
      router.get("/deliveryrequests/:id").handler(ctx -> Responses.ok(ctx, Hal.resource(ctx,
          new JsonObject().put("id", 7).put("procNo", "p07"), "/deliveryrequests/7", "deliveryRequest")));
      router.get("/deliveryrequests").handler(ctx -> {
        PageRequest page = PageRequest.from(ctx, Set.of("id"), "id");
        long total = Long.parseLong(ctx.queryParam("total").isEmpty() ? "0" : ctx.queryParam("total").get(0));
        List<JsonObject> items = new ArrayList<>();
        for (long i = page.offset(); i < Math.min(total, page.offset() + page.limit()); i++) {
          items.add(Hal.resource(ctx, new JsonObject().put("id", i), "/deliveryrequests/" + i));
        }
        Responses.ok(ctx, Hal.collection(ctx, "deliveryrequests", items, page, total));
      });
    });
    client = WebClient.create(vertx);
    local = "http://localhost:" + port;
  }

  private JsonObject get(String uri, String... headers) {
    HttpRequest<io.vertx.core.buffer.Buffer> request = client.get(port, "localhost", uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send().await().bodyAsJsonObject();
  }

  private static String href(JsonObject body, String rel) {
    JsonObject link = body.getJsonObject("_links").getJsonObject(rel);
    return link == null ? null : link.getString("href");
  }

  @Test
  void baseUrlComesFromTheHostHeader() {
    assertThat(get("/base").getString("base")).isEqualTo(local);
  }

  @Test
  void baseUrlHonoursForwardedProtoHostAndPrefix() {
    JsonObject body = get("/base", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "gateway.example:8443",
        "X-Forwarded-Prefix", "/api/");
    assertThat(body.getString("base")).isEqualTo("https://gateway.example:8443/api");
  }

  @Test
  void baseUrlUsesTheFirstForwardedValueAndDropsDefaultPorts() {
    assertThat(get("/base", "X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "gw.example:443, proxy")
        .getString("base")).isEqualTo("https://gw.example");
    assertThat(get("/base", "X-Forwarded-Host", "gw.example", "X-Forwarded-Port", "8088")
        .getString("base")).isEqualTo("http://gw.example:8088");
  }

  @Test
  void baseUrlIgnoresForwardedValuesThatAreNotHostsOrPaths() {
    assertThat(get("/base", "X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "evil.example/<script>",
        "X-Forwarded-Prefix", "no-leading-slash").getString("base")).isEqualTo(local);
  }

  @Test
  void resourceCarriesSelfAndNamedLink() {
    JsonObject body = get("/deliveryrequests/7", "X-Forwarded-Host", "localhost:8088");
    assertThat(href(body, "self")).isEqualTo("http://localhost:8088/deliveryrequests/7");
    assertThat(href(body, "deliveryRequest")).isEqualTo("http://localhost:8088/deliveryrequests/7");
    assertThat(body.getString("procNo")).isEqualTo("p07");
  }

  @Test
  void emptyCollectionHasZeroPagesAndNoNavigationLinks() {
    JsonObject body = get("/deliveryrequests");
    assertThat(body.getJsonObject("_embedded").getJsonArray("deliveryrequests").size()).isZero();
    assertThat(body.getJsonObject("page")).isEqualTo(new JsonObject()
        .put("size", 20).put("totalElements", 0).put("totalPages", 0).put("number", 0));
    assertThat(href(body, "self")).isEqualTo(local + "/deliveryrequests?page=0&size=20");
    assertThat(href(body, "search")).isEqualTo(local + "/deliveryrequests/search");
    assertThat(body.getJsonObject("_links").fieldNames()).containsExactlyInAnyOrder("self", "search");
  }

  @Test
  void firstPageLinksToNextAndLast() {
    JsonObject body = get("/deliveryrequests?size=10&total=25");
    assertThat(body.getJsonObject("page").getLong("totalPages")).isEqualTo(3L);
    assertThat(body.getJsonObject("_embedded").getJsonArray("deliveryrequests").size()).isEqualTo(10);
    assertThat(href(body, "first")).isEqualTo(local + "/deliveryrequests?total=25&page=0&size=10");
    assertThat(href(body, "prev")).isNull();
    assertThat(href(body, "next")).isEqualTo(local + "/deliveryrequests?total=25&page=1&size=10");
    assertThat(href(body, "last")).isEqualTo(local + "/deliveryrequests?total=25&page=2&size=10");
  }

  @Test
  void middlePageLinksBothWaysAndKeepsTheSort() {
    JsonObject body = get("/deliveryrequests?page=1&size=10&total=25&sort=id,desc");
    assertThat(href(body, "prev")).isEqualTo(local + "/deliveryrequests?total=25&page=0&size=10&sort=id,desc");
    assertThat(href(body, "self")).isEqualTo(local + "/deliveryrequests?total=25&page=1&size=10&sort=id,desc");
    assertThat(href(body, "next")).isEqualTo(local + "/deliveryrequests?total=25&page=2&size=10&sort=id,desc");
  }

  @Test
  void lastPageHasNoNextAndHoldsTheRemainder() {
    JsonObject body = get("/deliveryrequests?page=2&size=10&total=25");
    assertThat(href(body, "next")).isNull();
    assertThat(href(body, "prev")).isNotNull();
    assertThat(body.getJsonObject("_embedded").getJsonArray("deliveryrequests").size()).isEqualTo(5);
    assertThat(body.getJsonObject("_embedded").getJsonArray("deliveryrequests").getJsonObject(0)
        .getJsonObject("_links").getJsonObject("self").getString("href"))
        .isEqualTo(local + "/deliveryrequests/20");
  }

  @Test
  void singleFullPageHasNoNavigationLinks() {
    JsonObject body = get("/deliveryrequests?size=10&total=10");
    assertThat(body.getJsonObject("page").getLong("totalPages")).isEqualTo(1L);
    assertThat(body.getJsonObject("_links").fieldNames()).containsExactlyInAnyOrder("self", "search");
  }

  @Test
  void collectionLinksPointAtTheGatewayBehindIt() {
    JsonObject body = get("/deliveryrequests?size=10&total=25", "X-Forwarded-Host", "gw.example:8088");
    assertThat(href(body, "next")).startsWith("http://gw.example:8088/deliveryrequests?");
    assertThat(href(body, "search")).isEqualTo("http://gw.example:8088/deliveryrequests/search");
  }

  @Test
  void totalPagesRoundsUp() {
    assertThat(Hal.totalPages(0, 20)).isZero();
    assertThat(Hal.totalPages(1, 20)).isEqualTo(1);
    assertThat(Hal.totalPages(20, 20)).isEqualTo(1);
    assertThat(Hal.totalPages(21, 20)).isEqualTo(2);
  }

  @Test
  void filterValuesAreEncodedInLinks() {
    JsonObject body = get("/deliveryrequests?size=10&total=25&status=%EA%B0%80%20x");
    assertThat(href(body, "next"))
        .isEqualTo(local + "/deliveryrequests?total=25&status=%EA%B0%80%20x&page=1&size=10");
  }
}
