// DEFGUARD_MASQUERADE on the host: runs the scripts of masquerade-ruleset.ts with `nft -f -`. Applied
// once the interface exists and again with every whole configuration (a reconnect, a network MODIFY), as
// Defguard's gateway does, so a ruleset flushed meanwhile comes back; removed at shutdown.
import type { Logger } from "../shared/logger.ts";
import { run } from "./command.ts";
import { masqueradeScript, masqueradeTable, removeScript } from "./masquerade-ruleset.ts";

export class Masquerade {
  /** True once apply() succeeded: later applications log at debug only. */
  private applied = false;

  constructor(
    readonly ifname: string,
    private readonly log: Logger,
  ) {}

  /** `inet defguard_<ifname>`, as `nft list tables` shows it. */
  get table(): string {
    return `inet ${masqueradeTable(this.ifname)}`;
  }

  /** Replaces our table with one holding the masquerade rule; rejects with nft's message (CommandError). */
  async apply(): Promise<void> {
    await run(["nft", "-f", "-"], { stdin: masqueradeScript(this.ifname) });
    const say = `Masquerading traffic from ${this.ifname} leaving by other interfaces (nftables table ${this.table})`;
    if (this.applied) this.log.debug(say);
    else this.log.info(say);
    this.applied = true;
  }

  /** Removes our table (nothing when it is gone); a failure is logged, not thrown: shutdown goes on. */
  async remove(): Promise<void> {
    try {
      await run(["nft", "-f", "-"], { stdin: removeScript(this.ifname) });
      this.log.info(`Removed nftables table ${this.table}`);
    } catch (err) {
      this.log.error(`Could not remove nftables table ${this.table}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * With DEFGUARD_MASQUERADE off: removes the table a gateway of this interface left when it stopped
   * without removing it (SIGKILL, a crash), so the host stops masquerading. Nothing when `nft` is absent
   * or there is no such table.
   */
  async removeLeftover(): Promise<void> {
    if (!Bun.which("nft")) return;
    const exists = await run(["nft", "list", "table", "inet", masqueradeTable(this.ifname)]).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    this.log.warn(`DEFGUARD_MASQUERADE is off; removing nftables table ${this.table} left by an earlier run`);
    await this.remove();
  }
}
