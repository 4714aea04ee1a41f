package kr.go.procurement.delivery;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar delivery-svc/target/delivery-svc.jar}. */
public final class DeliveryServiceMain {

  private DeliveryServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("delivery-svc", () -> new DeliveryVerticle(DeliveryConfig.fromEnv(Env.system())));
  }
}
