// Running a command from a button: say what happened, refresh the model.
import * as api from "../api";
import type { Ctx } from "./view";

/** Runs a command, says `done` when it worked, and the error's message when not. */
export async function act(ctx: Ctx, call: Promise<unknown>, done: string): Promise<boolean> {
  try {
    await call;
    ctx.say(done);
    void ctx.store.refresh();
    return true;
  } catch (error) {
    const e = api.toApiError(error);
    ctx.say(e.kind === "no_daemon" ? "Lifeguard's background service is not running." : e.message, "error");
    return false;
  }
}
