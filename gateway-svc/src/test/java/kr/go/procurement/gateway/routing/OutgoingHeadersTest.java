package kr.go.procurement.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.EnumSet;
import java.util.Set;
import kr.go.procurement.platform.identity.Identity;
import kr.go.procurement.platform.identity.Role;
import org.junit.jupiter.api.Test;

class OutgoingHeadersTest {

  /** The roles header is written from a table made once: it must say what {@link Identity#writeTo} says. */
  @Test
  void theRolesHeaderIsWhatIdentityWrites() {
    Role[] all = Role.values();
    for (int bits = 1; bits < 1 << all.length; bits++) {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (Role role : all) {
        if ((bits & 1 << role.ordinal()) != 0) {
          roles.add(role);
        }
      }
      Identity identity = new Identity("u", roles, null);
      MultiMap written = identity.writeTo(MultiMap.caseInsensitiveMultiMap());
      assertThat(OutgoingHeaders.rolesHeader(identity.roles())).as(roles.toString())
          .isEqualTo(written.get(Identity.ROLES_HEADER));
    }
  }
}
