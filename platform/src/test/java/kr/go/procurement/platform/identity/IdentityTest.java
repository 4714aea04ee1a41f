package kr.go.procurement.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.util.Set;
import kr.go.procurement.platform.http.Problem;
import org.junit.jupiter.api.Test;

class IdentityTest {

  @Test
  void readsTheForwardedHeadersDroppingUnknownRoles() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("x-user-id", "supplier-c01")
        .add("X-USER-ROLES", " Supplier, auditor ,viewer,,")
        .add("X-User-Company", " c01 ");
    Identity identity = Identity.fromHeaders(headers);
    assertThat(identity.userId()).isEqualTo("supplier-c01");
    assertThat(identity.roles()).containsExactlyInAnyOrder(Role.SUPPLIER, Role.VIEWER);
    assertThat(identity.company()).isEqualTo("c01");
  }

  @Test
  void noHeadersMeansAnonymousAndUnrestricted() {
    Identity identity = Identity.fromHeaders(MultiMap.caseInsensitiveMultiMap());
    assertThat(identity).isEqualTo(Identity.ANONYMOUS);
    assertThat(identity.companyScope()).isNull();
  }

  @Test
  void writingRemovesEveryIdentityHeaderAClientSent() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-User-Id", "mallory")
        .add("x-user-roles", "admin")
        .add("X-User-Company", "c01")
        .add("X-User-Anything", "x")
        .add("Accept", "application/json");
    new Identity("agency-1", Set.of(Role.AGENCY, Role.ADMIN), null).writeTo(headers);
    assertThat(headers.get("X-User-Id")).isEqualTo("agency-1");
    assertThat(headers.getAll("X-User-Roles")).containsExactly("agency,admin");
    assertThat(headers.contains("X-User-Company")).isFalse();
    assertThat(headers.contains("X-User-Anything")).isFalse();
    assertThat(headers.get("Accept")).isEqualTo("application/json");
  }

  @Test
  void writtenHeadersReadBackAsTheSameIdentity() {
    Identity identity = new Identity("supplier-c02", Set.of(Role.SUPPLIER), "c02");
    assertThat(Identity.fromHeaders(identity.writeTo(MultiMap.caseInsensitiveMultiMap()))).isEqualTo(identity);
  }

  @Test
  void aSupplierIsConfinedToItsCompanyUnlessAlsoAdmin() {
    assertThat(new Identity("s", Set.of(Role.SUPPLIER), "c01").companyScope()).isEqualTo("c01");
    assertThat(new Identity("a", Set.of(Role.SUPPLIER, Role.ADMIN), "c01").companyScope()).isNull();
    assertThat(new Identity("p", Set.of(Role.PPS), null).companyScope()).isNull();
    assertThatThrownBy(() -> new Identity("s", Set.of(Role.SUPPLIER), " ").companyScope())
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(403));
  }

  @Test
  void roleWireNames() {
    assertThat(Role.PPS.wireName()).isEqualTo("pps");
    assertThat(Role.fromWireName(" ADMIN ")).contains(Role.ADMIN);
    assertThat(Role.fromWireName("root")).isEmpty();
    assertThat(Role.fromWireName(null)).isEmpty();
  }
}
