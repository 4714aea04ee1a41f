package kr.go.procurement.request;

import kr.go.procurement.platform.config.Env;
import kr.go.procurement.platform.runtime.ServiceMain;

/** {@code java -jar request-svc/target/request-svc.jar}. */
public final class RequestServiceMain {

  private RequestServiceMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("request-svc", () -> new RequestVerticle(RequestConfig.fromEnv(Env.system())));
  }
}
