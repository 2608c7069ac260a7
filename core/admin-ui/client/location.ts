// The location page's gateway setup: "Make a gateway token" asks the Core for one and shows it with the
// command lines that start a gateway with it (gateway-commands.ts). The token exists only on this page.
import { gatewayCommands } from "../gateway-commands.ts";
import { ApiError, callApi } from "./api.ts";

function put(id: string, value: string): void {
  const el = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
  if (el) el.value = value;
}

export function runLocation(): void {
  const setup = document.getElementById("gateway-setup");
  const button = setup?.querySelector<HTMLButtonElement>("[data-gateway-token]");
  if (!setup || !button) return;
  const errorLine = setup.querySelector<HTMLElement>("[data-error]")!;
  button.addEventListener("click", async () => {
    errorLine.textContent = "";
    button.disabled = true;
    try {
      const answer = await callApi<{ token: string; grpc_url: string }>("GET", `/api/v1/network/${setup.dataset.networkId}/token`);
      const commands = gatewayCommands(answer.token, answer.grpc_url);
      put("gateway-token", answer.token);
      put("gateway-grpc-url", answer.grpc_url);
      put("gateway-command-ours", commands.ours);
      put("gateway-command-docker", commands.docker);
      put("gateway-command-binary", commands.binary);
      document.getElementById("gateway-commands")!.hidden = false;
      document.getElementById("gateway-token")?.focus();
      button.textContent = "Make another token";
    } catch (err) {
      errorLine.textContent = err instanceof ApiError ? err.message : String(err);
    } finally {
      button.disabled = false;
    }
  });
}
