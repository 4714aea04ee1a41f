package kr.go.procurement.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.go.procurement.gateway.routing.RouteTable.MethodNotAllowed;
import kr.go.procurement.gateway.routing.RouteTable.NotRouted;
import kr.go.procurement.gateway.routing.RouteTable.Routed;
import kr.go.procurement.platform.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

  private final RouteTable table = RouteTable.CONTRACT;

  @Test
  void collectionsItemsAndSearchesGoToTheirService() {
    assertThat(service(HttpMethod.GET, "/deliveryrequests")).isEqualTo(Service.REQUEST);
    assertThat(service(HttpMethod.GET, "/deliveryrequests/search/findByProcNo")).isEqualTo(Service.REQUEST);
    assertThat(service(HttpMethod.GET, "/inspectionResults/7")).isEqualTo(Service.REQUEST);
    assertThat(service(HttpMethod.GET, "/deliverymanagements/7")).isEqualTo(Service.MANAGEMENT);
    assertThat(service(HttpMethod.PATCH, "/goodsdeliveries/7")).isEqualTo(Service.DELIVERY);
    assertThat(service(HttpMethod.GET, "/smsHistories")).isEqualTo(Service.NOTIFICATION);
    assertThat(service(HttpMethod.GET, "/deliveryStatusInquiries/stream")).isEqualTo(Service.STATUS_VIEW);
    assertThat(service(HttpMethod.POST, "/deliveryStatusInquiries/rebuild")).isEqualTo(Service.STATUS_VIEW);
  }

  @Test
  void writesNeedTheExactShapeElse405WithTheMethodsThatExist() {
    // {id} is one segment: a write on the collection or deeper is not a route.
    assertThat(table.resolve(HttpMethod.PATCH, "/deliveryrequests")).isInstanceOfSatisfying(MethodNotAllowed.class,
        r -> assertThat(r.allowed()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST));
    assertThat(table.resolve(HttpMethod.PUT, "/deliveryrequests/1")).isInstanceOfSatisfying(MethodNotAllowed.class,
        r -> assertThat(r.allowed()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.PATCH, HttpMethod.DELETE));
    assertThat(table.resolve(HttpMethod.DELETE, "/deliveryrequests/1/x")).isInstanceOf(MethodNotAllowed.class);
    assertThat(table.resolve(HttpMethod.PATCH, "/deliveryrequests/")).isInstanceOf(MethodNotAllowed.class);
    assertThat(table.resolve(HttpMethod.DELETE, "/goodsdeliveries/1")).isInstanceOf(MethodNotAllowed.class);
  }

  @Test
  void unknownPathsAreNotRouted() {
    assertThat(table.resolve(HttpMethod.GET, "/")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "/outbox")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequestsX")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "/DeliveryRequests")).isInstanceOf(NotRouted.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/deliverymanagements/inspection-results", "/deliverymanagements/inspection-results/p01",
      "/deliverymanagements/Inspection-Results/p01", "/deliverymanagements/inspection-results%2Fp01",
      "/deliverymanagements/inspection%2Dresults/p01", "/deliverymanagements//inspection-results/p01",
      "/deliverymanagements/%2569nspection-results/p01", "//deliverymanagements/inspection-results/p01"})
  void theInternalInspectionResultCallIsNeverRoutedHoweverSpelt(String path) {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.PUT, HttpMethod.PATCH}) {
      assertThat(table.resolve(method, path)).as(method + " " + path).isInstanceOf(NotRouted.class);
    }
  }

  @Test
  void rolesOfTheMatrix() {
    assertThat(roles(HttpMethod.POST, "/deliveryrequests")).containsExactlyInAnyOrder(Role.AGENCY, Role.ADMIN);
    assertThat(roles(HttpMethod.PATCH, "/deliverymanagements/1")).containsExactlyInAnyOrder(Role.PPS, Role.ADMIN);
    assertThat(roles(HttpMethod.PATCH, "/goodsdeliveries/1")).containsExactlyInAnyOrder(Role.SUPPLIER, Role.ADMIN);
    assertThat(roles(HttpMethod.POST, "/deliveryStatusInquiries/rebuild")).containsExactly(Role.ADMIN);
    assertThat(roles(HttpMethod.GET, "/deliveryStatusInquiries/rebuild")).containsExactly(Role.ADMIN);
    assertThat(roles(HttpMethod.GET, "/deliveryStatusInquiries/stream")).contains(Role.SUPPLIER, Role.VIEWER);
    assertThat(roles(HttpMethod.GET, "/goodsdeliveries")).contains(Role.SUPPLIER, Role.VIEWER);
    assertThat(roles(HttpMethod.GET, "/deliveryrequests")).doesNotContain(Role.SUPPLIER).contains(Role.VIEWER);
  }

  /** Segments as "/a/b/" splits them: a trailing slash is an empty segment, which no {id} matches. */
  @Test
  void emptySegmentsAndTrailingSlashes() {
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequests/")).isInstanceOf(Routed.class);
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequests//7")).isInstanceOf(Routed.class);
    assertThat(table.resolve(HttpMethod.PATCH, "/deliveryrequests//")).isInstanceOf(MethodNotAllowed.class);
    assertThat(table.resolve(HttpMethod.PATCH, "/deliveryrequests/7/")).isInstanceOf(MethodNotAllowed.class);
    assertThat(table.resolve(HttpMethod.POST, "/deliveryrequests/")).isInstanceOf(MethodNotAllowed.class);
    assertThat(table.resolve(HttpMethod.GET, "//deliveryrequests")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequest")).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequestss/1")).isInstanceOf(NotRouted.class);
    assertThat(service(HttpMethod.GET, "/deliveryStatusInquiries/rebuild/x")).isEqualTo(Service.STATUS_VIEW);
    assertThat(roles(HttpMethod.GET, "/deliveryStatusInquiries/rebuild/x")).contains(Role.VIEWER);
    // The answer for a row is made once, not per request.
    assertThat(table.resolve(HttpMethod.GET, "/deliveryrequests/1"))
        .isSameAs(table.resolve(HttpMethod.GET, "/deliveryrequests/2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/DELIVERYMANAGEMENTS/INSPECTION-RESULTS", "/deliverymanagements/inspection-results/",
      "/deliverymanagements///inspection-results", "/deliverymanagements/%69nspection-results",
      "/deliverymanagements/Inspection-Results/P01/"})
  void hiddenPathsInOtherSpellings(String path) {
    assertThat(table.resolve(HttpMethod.GET, path)).as(path).isInstanceOf(NotRouted.class);
    assertThat(table.resolve(HttpMethod.PUT, path)).as(path).isInstanceOf(NotRouted.class);
  }

  @Test
  void onlyWholeSegmentsAreHidden() {
    assertThat(service(HttpMethod.GET, "/deliverymanagements/inspection-resultsX")).isEqualTo(Service.MANAGEMENT);
    assertThat(service(HttpMethod.GET, "/deliverymanagements/inspection")).isEqualTo(Service.MANAGEMENT);
  }

  /** The README of this module prints the matrix; it must be the one the gateway enforces. */
  @Test
  void theModuleReadmeShowsTheTableInCode() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains(table.markdown());
  }

  private Service service(HttpMethod method, String path) {
    return ((Routed) table.resolve(method, path)).service();
  }

  private java.util.Set<Role> roles(HttpMethod method, String path) {
    return ((Routed) table.resolve(method, path)).row().roles();
  }
}
