package kr.go.procurement.statusview;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar status-view/target/status-view.jar}. */
public final class StatusViewServiceMain {

  private StatusViewServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("status-view", () -> new StatusViewVerticle(StatusViewConfig.fromEnv(Env.system())));
  }
}
