package kr.go.procurement.gateway;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar gateway-svc/target/gateway-svc.jar}. */
public final class GatewayServiceMain {

  private GatewayServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("gateway-svc", () -> new GatewayDeployment(GatewayConfig.fromEnv(Env.system())));
  }
}
