package kr.go.procurement.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PageRequestTest {

  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    port = TestServers.start(vertx, router -> router.get("/items").handler(ctx -> {
      PageRequest p = PageRequest.from(ctx, Set.of("id", "procNo", "createdAt"), "id");
      Responses.json(ctx, 200, new JsonObject().put("page", p.page()).put("size", p.size())
          .put("sortField", p.sortField()).put("ascending", p.ascending())
          .put("offset", p.offset()).put("limit", p.limit()));
    }));
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> get(String uri) {
    return client.get(port, "localhost", uri).send().await();
  }

  @Test
  void defaultsArePageZeroSize20AndTheDefaultSort() {
    JsonObject p = get("/items").bodyAsJsonObject();
    assertThat(p).isEqualTo(new JsonObject().put("page", 0).put("size", 20).put("sortField", "id")
        .put("ascending", true).put("offset", 0).put("limit", 20));
  }

  @Test
  void pageSizeAndSortAreRead() {
    JsonObject p = get("/items?page=3&size=50&sort=procNo,desc").bodyAsJsonObject();
    assertThat(p.getInteger("page")).isEqualTo(3);
    assertThat(p.getInteger("size")).isEqualTo(50);
    assertThat(p.getString("sortField")).isEqualTo("procNo");
    assertThat(p.getBoolean("ascending")).isFalse();
    assertThat(p.getLong("offset")).isEqualTo(150L);
  }

  @Test
  void sortWithoutDirectionIsAscendingAndDirectionIsCaseInsensitive() {
    assertThat(get("/items?sort=createdAt").bodyAsJsonObject().getBoolean("ascending")).isTrue();
    assertThat(get("/items?sort=createdAt,DESC").bodyAsJsonObject().getBoolean("ascending")).isFalse();
  }

  @Test
  void sizeAboveTheMaximumIsCappedLikeSpringDataRest() {
    assertThat(get("/items?size=1000").bodyAsJsonObject().getInteger("size")).isEqualTo(1000);
    assertThat(get("/items?size=5000").bodyAsJsonObject().getInteger("size")).isEqualTo(PageRequest.MAX_SIZE);
  }

  @Test
  void badValuesAre400ProblemsNamingEachParameter() {
    HttpResponse<Buffer> response = get("/items?page=-1&size=0&sort=password,asc");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo(Problems.CONTENT_TYPE);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("field")).toList()).containsExactly("page", "size", "sort");
  }

  @Test
  void nonNumericAndOverflowingValuesAre400NotServerErrors() {
    assertThat(get("/items?page=abc").statusCode()).isEqualTo(400);
    assertThat(get("/items?size=1.5").statusCode()).isEqualTo(400);
    assertThat(get("/items?page=99999999999999999999").statusCode()).isEqualTo(400);
    assertThat(get("/items?sort=id,sideways").statusCode()).isEqualTo(400);
    assertThat(get("/items?sort=id,asc,extra").statusCode()).isEqualTo(400);
    assertThat(get("/items?sort=").statusCode()).isEqualTo(200);
  }

  @Test
  void recordRejectsImpossibleValues() {
    assertThatThrownBy(() -> new PageRequest(-1, 20, "id", true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageRequest(0, 0, "id", true)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new PageRequest(2, 10, "procNo", false).sortParam()).isEqualTo("procNo,desc");
  }
}
