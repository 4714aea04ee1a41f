package kr.go.procurement.management;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar management-svc/target/management-svc.jar}. */
public final class ManagementServiceMain {

  private ManagementServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("management-svc", () -> new ManagementVerticle(ManagementConfig.fromEnv(Env.system())));
  }
}
